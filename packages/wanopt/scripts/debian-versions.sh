#!/usr/bin/env bash
# Fetches real successive versions of a source tree for the dedup-ratio benchmark (bench/dedup.bench.ts): Debian's
# linux-headers-6.1.0-N-common packages, each the kernel's header tree at one stable update.
#
#   scripts/debian-versions.sh            download the versions pinned in bench/data/debian-versions.txt, check their
#                                         SHA-256, unpack and tar each one (as packaged, and with the versioned
#                                         directory name normalized)
#   scripts/debian-versions.sh --record   take the newest version of each package in PACKAGES, download, and rewrite
#                                         the pinned list (versions and SHA-256 sums) before unpacking
#
# Everything downloaded or unpacked goes to $PATRONUS_DEDUP_DATA (default ~/.cache/patronus/dedup-debian), never into
# the repository. Needs apt-get, dpkg-deb and GNU tar (Debian 12); run `apt-get update` once beforehand.
set -euo pipefail

here=$(cd "$(dirname "$0")/.." && pwd)
manifest="$here/bench/data/debian-versions.txt"
cache="${PATRONUS_DEDUP_DATA:-${XDG_CACHE_HOME:-$HOME/.cache}/patronus/dedup-debian}"
PACKAGES=(
  linux-headers-6.1.0-50-common
  linux-headers-6.1.0-53-common
  linux-headers-6.1.0-54-common
  linux-headers-6.1.0-55-common
  linux-headers-6.1.0-56-common
  linux-headers-6.1.0-57-common
)

mkdir -p "$cache/debs"
cd "$cache/debs"

if [[ ${1:-} == --record ]]; then
  tmp=$(mktemp)
  {
    echo "# Debian packages used by bench/dedup.bench.ts for the dedup ratio on successive versions of a source tree."
    echo "# Written by scripts/debian-versions.sh --record; one line per package: name version sha256-of-the-.deb"
  } >"$tmp"
  for package in "${PACKAGES[@]}"; do
    version=$(apt-cache policy "$package" | awk '/Candidate:/ { print $2 }')
    if [[ -z $version || $version == "(none)" ]]; then
      echo "no candidate version of $package: run apt-get update" >&2
      exit 1
    fi
    apt-get -o APT::Sandbox::User=root download -q "$package=$version" >/dev/null
    deb=$(ls "${package}_"*.deb | head -n 1)
    echo "$package $version $(sha256sum "$deb" | cut -d' ' -f1)" >>"$tmp"
  done
  mv "$tmp" "$manifest"
fi

# Download (if needed) and verify exactly what the manifest pins.
index="$cache/index.txt"
: >"$index.tmp"
while read -r package version sha256; do
  [[ -z $package || $package == \#* ]] && continue
  deb=$(ls "${package}_"*.deb 2>/dev/null | head -n 1 || true)
  if [[ -z $deb ]]; then
    apt-get -o APT::Sandbox::User=root download -q "$package=$version" >/dev/null
    deb=$(ls "${package}_"*.deb | head -n 1)
  fi
  actual=$(sha256sum "$deb" | cut -d' ' -f1)
  if [[ $actual != "$sha256" ]]; then
    echo "$deb: SHA-256 $actual, the manifest pins $sha256" >&2
    exit 1
  fi
  tree="$cache/trees/${package}_${version}"
  tarball="$cache/${package}_${version}.tar"
  normalized="$cache/${package}_${version}.normalized.tar"
  if [[ ! -f $tarball || ! -f $normalized ]]; then
    rm -rf "$tree"
    mkdir -p "$tree"
    dpkg-deb -x "$deb" "$tree"
    # Reproducible tars: sorted names, fixed owner and times, so the stream depends only on the content. The tree's
    # directory names carry the ABI number (linux-headers-6.1.0-N-common), which changes in every version and so in
    # every tar header; the normalized tar names it linux-headers-common, leaving only the content to differ.
    common=(--sort=name --mtime=@0 --owner=0 --group=0 --numeric-owner -C "$tree")
    tar "${common[@]}" -cf "$tarball.tmp" .
    tar "${common[@]}" --transform 's,linux-headers-6\.1\.0-[0-9]*-common,linux-headers-common,g' -cf "$normalized.tmp" .
    mv "$tarball.tmp" "$tarball"
    mv "$normalized.tmp" "$normalized"
  fi
  echo "$package $version $tarball $normalized $tree" >>"$index.tmp"
done <"$manifest"
mv "$index.tmp" "$index"
echo "versions ready in $cache (index: $index)"
