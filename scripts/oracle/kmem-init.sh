#!/bin/busybox sh
# initramfs /init for the kmem captures: like the shared oracle's init, but first loads the
# nvdimm and dax modules of the same kernel, turns the legacy pmem region (memmap=nn!ss) into a
# device-DAX namespace the way `ndctl create-namespace --mode=devdax` does (through sysfs), hands
# the dax device to kmem as `daxctl reconfigure-device --mode=system-ram` does, and then prints the
# memory map and the memory blocks. The namespace alignment and page-map location come from the
# kernel command line: bootmap.align=BYTES (default 2 MiB) and bootmap.map=pmem|ram (default pmem,
# i.e. map=dev).
/bin/busybox --install -s /bin
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t debugfs debugfs /sys/kernel/debug 2>/dev/null
dmesg -n 1
sec() { echo "=====BEGIN $1====="; }
end() { echo "=====END $1====="; }
align=2097152
map=pmem
for arg in $(cat /proc/cmdline); do
  case $arg in
    bootmap.align=*) align=${arg#bootmap.align=} ;;
    bootmap.map=*) map=${arg#bootmap.map=} ;;
  esac
done
sec steps
for m in libnvdimm nd_btt nd_pmem nd_e820 device_dax dax_pmem kmem; do
  insmod /lib/modules/$m.ko && echo "insmod $m"
done
sleep 1
ns=$(ls /sys/bus/nd/devices | grep '^namespace' | head -1)
region=$(ls /sys/bus/nd/devices | grep '^region' | head -1)
echo "region $region namespace $ns"
[ -e /sys/bus/nd/devices/$ns/driver ] && echo $ns > /sys/bus/nd/drivers/nd_pmem/unbind && echo "unbound $ns from nd_pmem"
dax=$(cat /sys/bus/nd/devices/$region/dax_seed)
echo "dax seed $dax"
echo $align > /sys/bus/nd/devices/$dax/align && echo "align $align"
echo $map > /sys/bus/nd/devices/$dax/mode && echo "mode $map"
cat /proc/sys/kernel/random/uuid > /sys/bus/nd/devices/$dax/uuid && echo "uuid set"
echo $ns > /sys/bus/nd/devices/$dax/namespace && echo "namespace $ns"
echo $dax > /sys/bus/nd/drivers/dax_pmem/bind && echo "bound $dax to dax_pmem"
sleep 1
ddev=$(ls /sys/bus/dax/devices | head -1)
echo "dax device $ddev"
echo $ddev > /sys/bus/dax/drivers/device_dax/unbind && echo "unbound $ddev from device_dax"
echo $ddev > /sys/bus/dax/drivers/kmem/new_id && echo "kmem new_id $ddev"
sleep 1
end steps
sec cmdline; cat /proc/cmdline; end cmdline
sec iomem; cat /proc/iomem; end iomem
sec firmware-memmap
for d in $(ls /sys/firmware/memmap 2>/dev/null | sort -n); do
  echo "$d $(cat /sys/firmware/memmap/$d/start) $(cat /sys/firmware/memmap/$d/end) $(cat /sys/firmware/memmap/$d/type)"
done
end firmware-memmap
sec block-size; cat /sys/devices/system/memory/block_size_bytes 2>/dev/null; end block-size
sec memory-blocks
for b in /sys/devices/system/memory/memory*; do
  echo "$(basename $b) $(cat $b/phys_index) $(cat $b/state)"
done | sort -k2
end memory-blocks
sec dax
for f in size align resource; do echo "$f $(cat /sys/bus/dax/devices/$ddev/$f 2>/dev/null)"; done
for m in /sys/bus/dax/devices/$ddev/mapping*; do [ -d $m ] && echo "$(basename $m) $(cat $m/start) $(cat $m/end) $(cat $m/page_offset)"; done
end dax
sec zoneinfo; grep -E '^Node|start_pfn|spanned|present|managed' /proc/zoneinfo; end zoneinfo
sec dmesg; dmesg; end dmesg
echo "=====DONE====="
poweroff -f
