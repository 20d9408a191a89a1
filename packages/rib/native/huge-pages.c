/*
 * 2 MiB transparent huge pages for the FIB's memory.
 *
 * A cache-cold lookup in a full table is one to six random reads into tens of megabytes. With 4 KiB pages nearly
 * every such read also misses the TLB (its second level covers a few megabytes), and adds a page walk to the read;
 * with 2 MiB pages a whole FIB fits in the TLB. V8 never asks the kernel for huge pages, and on most distributions
 * transparent huge pages are granted only to memory that asks for them (`madvise` mode). So this addon marks the
 * FIB's memory (a WebAssembly memory V8 allocated) MADV_HUGEPAGE. Software routers do the same for the same reason
 * (DPDK and VPP keep their FIBs in huge pages).
 *
 * Plain Node-API in C: some sixty lines need no C++ wrapper, and the addon stays ABI-stable across Node versions.
 */
#define _GNU_SOURCE
#include <node_api.h>
#include <stdint.h>
#include <sys/mman.h>

#define HUGE_PAGE ((size_t)2 << 20)

/* The memory of the ArrayBuffer argument of `name`; false (with a TypeError pending) when it is not one. */
static bool buffer_argument(napi_env env, napi_callback_info info, const char *message, void **data, size_t *length) {
  size_t argc = 1;
  napi_value argv[1];
  if (napi_get_cb_info(env, info, &argc, argv, NULL, NULL) != napi_ok) return false;
  bool is_buffer = false;
  if (argc < 1 || napi_is_arraybuffer(env, argv[0], &is_buffer) != napi_ok || !is_buffer) {
    napi_throw_type_error(env, "ERR_INVALID_ARG_TYPE", message);
    return false;
  }
  return napi_get_arraybuffer_info(env, argv[0], data, length) == napi_ok;
}

/* address(arrayBuffer): where its memory starts, as a number (for finding its mapping in /proc/self/smaps). */
static napi_value address(napi_env env, napi_callback_info info) {
  void *data = NULL;
  size_t length = 0;
  if (!buffer_argument(env, info, "address: expected an ArrayBuffer", &data, &length)) return NULL;
  napi_value result;
  napi_create_double(env, (double)(uintptr_t)data, &result);
  return result;
}

/*
 * advise(arrayBuffer): marks the whole 2 MiB pages inside the buffer's memory MADV_HUGEPAGE (memory allocated
 * elsewhere: a WebAssembly memory); returns the number of bytes marked (0 when none or refused).
 */
static napi_value advise(napi_env env, napi_callback_info info) {
  void *data = NULL;
  size_t length = 0;
  if (!buffer_argument(env, info, "advise: expected an ArrayBuffer", &data, &length)) return NULL;
  uintptr_t start = ((uintptr_t)data + HUGE_PAGE - 1) & ~(uintptr_t)(HUGE_PAGE - 1);
  uintptr_t end = ((uintptr_t)data + length) & ~(uintptr_t)(HUGE_PAGE - 1);
  double advised = 0;
  if (end > start && madvise((void *)start, end - start, MADV_HUGEPAGE) == 0) advised = (double)(end - start);
  napi_value result;
  napi_create_double(env, advised, &result);
  return result;
}

NAPI_MODULE_INIT() {
  napi_value fn;
  napi_create_function(env, "advise", NAPI_AUTO_LENGTH, advise, NULL, &fn);
  napi_set_named_property(env, exports, "advise", fn);
  napi_create_function(env, "address", NAPI_AUTO_LENGTH, address, NULL, &fn);
  napi_set_named_property(env, exports, "address", fn);
  return exports;
}
