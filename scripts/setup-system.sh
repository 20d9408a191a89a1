#!/usr/bin/env bash
# Installs, idempotently, the Debian packages the test suites need. This file is the one place that list lives:
# tests and CI call it rather than keeping their own lists.
#
#   scripts/setup-system.sh            install what is missing (needs root)
#   scripts/setup-system.sh --check    exit 0 when everything is present, 1 (listing what is missing) otherwise
#   scripts/setup-system.sh --list     print the package list
set -euo pipefail

# package:command-that-proves-it-is-installed
PACKAGES=(
  clang:clang
  llvm:llvm-strip
  libbpf-dev:/usr/include/bpf/libbpf.h
  bpftool:bpftool
  bird2:bird
  gobgpd:gobgpd
  exabgp:exabgp
  bgpdump:bgpdump
  slapd:slapd
  ldap-utils:ldapsearch
  tcpdump:tcpdump
  tshark:tshark
  bzip2:bzip2
  iproute2:ip
  make:make
  gcc:gcc
  python3:python3
)

missing=()
for entry in "${PACKAGES[@]}"; do
  pkg=${entry%%:*}
  probe=${entry#*:}
  if [[ $probe == /* ]]; then
    [[ -e $probe ]] || missing+=("$pkg")
  else
    # Debian puts several of these in /usr/sbin, which a non-login shell may not have on PATH.
    command -v "$probe" >/dev/null 2>&1 || [[ -x /usr/sbin/$probe || -x /sbin/$probe ]] || missing+=("$pkg")
  fi
done

case "${1:-}" in
  --list)
    for entry in "${PACKAGES[@]}"; do echo "${entry%%:*}"; done
    exit 0
    ;;
  --check)
    if ((${#missing[@]})); then
      echo "missing system packages: ${missing[*]}" >&2
      echo "install them with: sudo $(realpath "$0")" >&2
      exit 1
    fi
    exit 0
    ;;
esac

if ((${#missing[@]} == 0)); then
  exit 0
fi
if [[ $(id -u) -ne 0 ]]; then
  echo "missing system packages: ${missing[*]}" >&2
  echo "run as root: sudo $(realpath "$0")" >&2
  exit 1
fi

export DEBIAN_FRONTEND=noninteractive
echo "setup-system: installing ${missing[*]}" >&2
# slapd and tshark ask questions at install time; answer them up front.
echo "wireshark-common wireshark-common/install-setuid boolean false" | debconf-set-selections
echo "slapd slapd/no_configuration boolean true" | debconf-set-selections
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
# Debian starts daemons on install; tests start their own instances on loopback, so stop the system ones.
for svc in slapd bird gobgpd exabgp; do
  if command -v systemctl >/dev/null 2>&1; then systemctl stop "$svc" >/dev/null 2>&1 || true; fi
  pkill -x "$svc" >/dev/null 2>&1 || true
done
echo "setup-system: done" >&2
