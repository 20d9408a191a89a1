{
  "targets": [
    {
      "target_name": "huge-pages",
      "sources": ["huge-pages.c"],
      "defines": ["NAPI_VERSION=8"],
      "cflags": ["-O2", "-Wall", "-Wextra", "-Werror"],
      "conditions": [["OS!='linux'", {"type": "none"}]]
    }
  ]
}
