// Writes the synthetic inputs bench/compare.sh times whole bootmap runs on, into OUTDIR (not in git):
// iomem dumps of 10 k, 100 k and 1 M lines, DTBs with 20, 200 and 2 000 reserved-memory children,
// an SRAT with 1 024 nodes, boot logs with 320/3 200/32 000 e820 entries, grub.cfg files with
// 10/100/1 000 entries, and pmem dumps with 10/100/1 000 kmem devices.

#include <filesystem>
#include <fstream>
#include <iostream>
#include <string>

#include "synthetic.hpp"

namespace {

bool write(const std::filesystem::path& path, const std::string& contents) {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out.write(contents.data(), static_cast<std::streamsize>(contents.size()));
    return static_cast<bool>(out);
}

}  // namespace

int main(int argc, char** argv) {
    if (argc != 2) {
        std::cerr << "usage: bootmap_bench_inputs OUTDIR\n";
        return 2;
    }
    const std::filesystem::path dir = argv[1];
    std::filesystem::create_directories(dir);
    using namespace bootmap::bench;
    bool ok = true;
    for (const std::size_t lines : {10000, 100000, 1000000}) ok &= write(dir / ("iomem-" + std::to_string(lines) + ".txt"), synthetic_iomem(lines));
    for (const std::size_t children : {20, 200, 2000}) ok &= write(dir / ("rmem-" + std::to_string(children) + ".dtb"), synthetic_dtb(children));
    for (const std::size_t devices : {10, 100, 1000}) ok &= write(dir / ("pmem-" + std::to_string(devices) + ".iomem"), synthetic_pmem_iomem(devices));
    ok &= write(dir / "srat-1024.dat", synthetic_srat(1024));
    for (const std::size_t entries : {320, 3200, 32000}) ok &= write(dir / ("e820-" + std::to_string(entries) + ".dmesg"), synthetic_e820_dmesg(entries));
    for (const std::size_t entries : {10, 100, 1000}) ok &= write(dir / ("grub-" + std::to_string(entries) + ".cfg"), synthetic_grub_cfg(entries));
    if (!ok) {
        std::cerr << "bootmap_bench_inputs: cannot write into " << dir << '\n';
        return 2;
    }
    return 0;
}
