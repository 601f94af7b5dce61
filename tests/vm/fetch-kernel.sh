#!/bin/sh
# fetch-kernel.sh DIR: put Debian's own kernel (linux-image-amd64, from the
# Debian archive through apt) and the modules the test VM needs into DIR,
# for tests/t3009-cgroup2-vm.sh.  Nothing is installed: the package is
# downloaded with apt-get download and unpacked with dpkg-deb, so no
# initramfs hook runs.  DIR/kernel names the version; a second run with the
# same version does nothing.
set -eu
dir=${1:?usage: fetch-kernel.sh DIR}
mkdir -p "$dir"
dir=$(cd "$dir" && pwd)
# The metapackage names the current image package.
image() {
	apt-cache depends linux-image-amd64 2>/dev/null |
	    sed -n 's/^ *Depends: \(linux-image-[0-9].*-amd64\)$/\1/p' |
	    head -n 1
}
pkg=$(image)
if [ -z "$pkg" ]; then
	apt-get update -qq
	pkg=$(image)
fi
if [ -z "$pkg" ]; then
	echo "fetch-kernel: linux-image-amd64 is unknown to apt (run apt-get update)" >&2
	exit 1
fi
ver=${pkg#linux-image-}
if [ -f "$dir/kernel" ] && [ "$(cat "$dir/kernel")" = "$ver" ] &&
    [ -f "$dir/$ver/vmlinuz" ]; then
	echo "fetch-kernel: $ver already in $dir"
	exit 0
fi
tmp=$(mktemp -d "$dir/.fetch.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
# apt's sandbox user must be able to write where it downloads.
chmod 777 "$tmp"
(cd "$tmp" && apt-get download -q "$pkg" >/dev/null)
deb=$(ls "$tmp"/*.deb)
# Only the kernel and the module trees the VM may load (virtio, 9p and
# what they need); all of it is a few MB instead of 400.
mkdir "$tmp/x"
dpkg-deb --fsys-tarfile "$deb" | tar -x -C "$tmp/x" --wildcards \
    './boot/vmlinuz-*' './boot/config-*' \
    "./lib/modules/$ver/kernel/fs" "./lib/modules/$ver/kernel/net/9p" \
    "./lib/modules/$ver/kernel/drivers/virtio" \
    "./lib/modules/$ver/kernel/drivers/block/zram" \
    "./lib/modules/$ver/kernel/mm" "./lib/modules/$ver/kernel/lib" \
    "./lib/modules/$ver/kernel/crypto" "./lib/modules/$ver/modules.builtin"
rm -rf "${dir:?}/$ver"
mkdir "$dir/$ver"
mv "$tmp/x/boot/vmlinuz-$ver" "$dir/$ver/vmlinuz"
mv "$tmp/x/boot/config-$ver" "$dir/$ver/config"
mv "$tmp/x/lib/modules/$ver/kernel" "$dir/$ver/modules"
mv "$tmp/x/lib/modules/$ver/modules.builtin" "$dir/$ver/modules/"
echo "$ver" >"$dir/kernel.new"
mv "$dir/kernel.new" "$dir/kernel"
# Older versions go.
for d in "$dir"/*/; do
	[ "$d" = "$dir/$ver/" ] || rm -rf "$d"
done
echo "fetch-kernel: $ver in $dir ($(du -sh "$dir/$ver" | cut -f1))"
