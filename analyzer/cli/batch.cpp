#include "cli/batch.hpp"

#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <map>
#include <mutex>
#include <optional>
#include <set>
#include <string_view>
#include <thread>
#include <vector>

#include <fmt/format.h>

#include "pipeline/pipeline.hpp"
#include "analysis/severity_policy.hpp"
#include "report/atomic_file.hpp"
#include "report/json_reporter.hpp"

namespace bootmap::cli {
namespace {

namespace fs = std::filesystem;

struct MachineInputs {
    std::string name;  // as listed in DIR
    std::string path;
    std::vector<std::string> files;
    bool capture = false;  // a `bootmap capture` directory: read as --boot
};

bool hidden(const fs::path& path) { return path.filename().string().starts_with('.'); }

// A directory that is itself a copy of /sys/firmware/memmap (numbered entries with start/end/type)
// is one input, not a machine.
bool is_memmap_copy(const fs::path& dir) {
    std::error_code ec;
    return fs::is_regular_file(dir / "0" / "start", ec) && fs::is_regular_file(dir / "0" / "type", ec);
}

// A directory `bootmap capture` wrote (its manifest), or one in the layout of the oracle captures (a
// boot log with files only a capture has), is one machine's state, read as --boot reads it. Any other
// directory is a set of inputs, each read by its kind.
bool is_boot_capture(const fs::path& dir) {
    std::error_code ec;
    if (fs::is_regular_file(dir / "manifest.txt", ec)) return true;
    if (!fs::is_regular_file(dir / "dmesg.txt", ec)) return false;
    for (const char* only_in_captures : {"kernel-release.txt", "block-size.txt", "zoneinfo.txt", "meminfo.txt"})
        if (fs::is_regular_file(dir / only_in_captures, ec)) return true;
    return false;
}

Result<std::vector<MachineInputs>> list_machines(const std::string& directory) {
    std::error_code ec;
    if (!fs::is_directory(directory, ec))
        return InputError{SourceLocation{directory}, "expected a directory of machines for --batch", "each file, or each directory of files, is one machine"};
    std::vector<fs::path> entries;
    for (const auto& entry : fs::directory_iterator(directory, ec))
        if (!hidden(entry.path())) entries.push_back(entry.path());
    if (ec) return InputError{SourceLocation{directory}, fmt::format("cannot list the directory: {}", ec.message()), {}};
    std::sort(entries.begin(), entries.end());
    std::vector<MachineInputs> machines;
    // Only regular files and directories are inputs, as `find -type f` sees them: a FIFO would block
    // the batch, a symlink loop has nothing to read.
    const auto regular = [](const fs::path& p) {
        std::error_code e;
        return fs::is_regular_file(p, e);
    };
    for (const auto& path : entries) {
        MachineInputs machine{path.filename().string(), path.string(), {}, false};
        if (fs::is_directory(path, ec) && is_boot_capture(path)) {
            machine.capture = true;
        } else if (fs::is_directory(path, ec) && !is_memmap_copy(path)) {
            for (const auto& inner : fs::directory_iterator(path, ec))
                if (!hidden(inner.path()) && (regular(inner.path()) || is_memmap_copy(inner.path()))) machine.files.push_back(inner.path().string());
            std::sort(machine.files.begin(), machine.files.end());
        } else if (regular(path) || is_memmap_copy(path)) {
            machine.files.push_back(path.string());
        } else {
            continue;
        }
        machines.push_back(std::move(machine));
    }
    return machines;
}

BatchEntry lint_one(const MachineInputs& machine, InputOptions inputs, const SeverityPolicy& policy, const Baseline* baseline) {
    BatchEntry entry{machine.name, machine.capture ? std::vector<std::string>{machine.path} : machine.files, kExitClean, std::nullopt, {}};
    inputs.files = machine.files;
    inputs.skip_unknown_files = true;
    if (machine.capture) inputs.boot = machine.path;
    std::string log;
    auto loaded = machine.files.empty() && !machine.capture
                      ? Result<Pipeline>(InputError{SourceLocation{machine.path}, "expected input files in this machine's directory, found none", {}})
                      : Pipeline::from_inputs(inputs, log);
    if (!loaded) {
        entry.exit_code = kExitBadInput;
        entry.error = loaded.error();
        return entry;
    }
    entry.skipped = loaded.value().machine().skipped_inputs;
    std::erase_if(entry.inputs, [&](const std::string& f) { return std::find(entry.skipped.begin(), entry.skipped.end(), f) != entry.skipped.end(); });
    if (entry.skipped.size() == machine.files.size() && !machine.capture) {
        // Nothing in it is an input: listed, skipped, and not a machine to judge.
        return entry;
    }
    auto report = loaded.value().findings(policy, baseline, false);  // JSON Lines: no source excerpts
    if (!report) {
        entry.exit_code = kExitBadInput;
        entry.error = report.error();
        return entry;
    }
    entry.diagnostics = std::move(report.value().diagnostics);
    entry.exit_code = has_errors(entry.diagnostics) ? kExitFindings : kExitClean;
    return entry;
}

// "[ 12/300] name" redrawn in place on a terminal.
using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point start) { return std::chrono::duration<double>(Clock::now() - start).count(); }

void show_progress(std::size_t done, std::size_t total, const std::string& name, Clock::time_point start) {
    const double elapsed = seconds_since(start), rate = elapsed > 0 ? static_cast<double>(done) / elapsed : 0;
    const double eta = rate > 0 ? static_cast<double>(total - done) / rate : 0;
    std::cerr << fmt::format("\r\033[K[{:>{}}/{}] {:.0f}/s, ETA {:.0f} s  {}", done, fmt::formatted_size("{}", total), total, rate, eta, name) << std::flush;
}

// What a fleet came to: machines by exit code, and for each rule how many machines and findings.
// Bounded by the rule catalogue, whatever the fleet's size.
struct BatchSummary {
    std::size_t machines = 0, clean = 0, with_errors = 0, with_findings = 0, unusable = 0, not_inputs = 0;
    std::map<std::string, std::pair<std::size_t, std::size_t>> rules;  // rule: machines, findings

    void add(const BatchEntry& entry) {
        if (entry.inputs.empty() && !entry.error) {
            ++not_inputs;
            return;
        }
        ++machines;
        if (entry.exit_code == kExitBadInput) ++unusable;
        else if (entry.exit_code == kExitFindings) ++with_errors;
        else if (!entry.diagnostics.empty()) ++with_findings;
        else ++clean;
        std::set<std::string_view> seen;
        for (const auto& d : entry.diagnostics) {
            auto& [machines_with, findings] = rules[d.rule_id];
            ++findings;
            if (seen.insert(d.rule_id).second) ++machines_with;
        }
    }

    [[nodiscard]] std::string render(double seconds) const {
        std::string out = fmt::format("bootmap: {} machine{} in {:.1f} s ({:.0f}/s): {} clean, {} with warnings or notes only, {} with errors, {} with "
                                      "unusable input{}\n",
                                      machines, machines == 1 ? "" : "s", seconds, seconds > 0 ? static_cast<double>(machines) / seconds : 0.0, clean,
                                      with_findings, with_errors, unusable, not_inputs ? fmt::format("; {} entries not inputs, skipped", not_inputs) : "");
        std::vector<std::pair<std::string, std::pair<std::size_t, std::size_t>>> sorted(rules.begin(), rules.end());
        std::stable_sort(sorted.begin(), sorted.end(), [](const auto& a, const auto& b) { return a.second.first > b.second.first; });
        for (const auto& [rule, counts] : sorted)
            out += fmt::format("  {:<34} {} machine{}, {} finding{}\n", rule, counts.first, counts.first == 1 ? "" : "s", counts.second,
                               counts.second == 1 ? "" : "s");
        return out;
    }
};

}  // namespace

namespace {

// What judges every machine of the batch alike: the rule policy and the baseline. Unusable settings
// are reported here; nullopt then.
struct BatchGate {
    SeverityPolicy policy;
    std::optional<Baseline> baseline;
};

std::optional<BatchGate> batch_gate(const OutputOptions& output) {
    if (output.format != "text" && output.format != "json") {
        std::cerr << fmt::format("bootmap: error: --batch writes JSON Lines (one object per machine); --format {} is not available with it\n", output.format);
        return std::nullopt;
    }
    auto policy = severity_policy_of(output);
    if (!policy) {
        std::cerr << format_input_error(policy.error()) << '\n';
        return std::nullopt;
    }
    if (!output.write_baseline.empty()) {
        std::cerr << "bootmap: error: --write-baseline is not available with --batch; write one per machine, or use --baseline with a merged one\n";
        return std::nullopt;
    }
    BatchGate gate{std::move(policy).value(), std::nullopt};
    if (!output.baseline.empty()) {
        auto loaded = load_baseline(output.baseline);
        if (!loaded) {
            std::cerr << format_input_error(loaded.error()) << '\n';
            return std::nullopt;
        }
        gate.baseline = std::move(loaded).value();
    }
    return gate;
}

// Lints the machines on `jobs` threads. Workers take machines in order; lines are written in order
// as soon as every earlier one is done (to stdout, or collected for an atomic file). The exit codes.
std::vector<int> lint_machines(const std::vector<MachineInputs>& machines, const InputOptions& shared, const BatchGate& gate, unsigned jobs,
                               OutputSink* file, BatchSummary& summary) {
    const bool to_stdout = file == nullptr;
    const bool progress = ::isatty(STDERR_FILENO) != 0;
    const auto start = Clock::now();
    std::vector<std::optional<std::string>> lines(machines.size());
    std::vector<int> exits(machines.size(), kExitClean);
    std::atomic<std::size_t> next{0};
    std::mutex done_mutex;
    std::size_t written = 0;
    std::size_t finished = 0;
    auto worker = [&] {
        for (std::size_t i = next++; i < machines.size(); i = next++) {
            const BatchEntry entry = lint_one(machines[i], shared, gate.policy, gate.baseline ? &*gate.baseline : nullptr);
            std::string line = render_batch_line(entry);
            const std::scoped_lock lock(done_mutex);
            exits[i] = entry.exit_code;
            summary.add(entry);
            lines[i] = std::move(line);
            ++finished;
            for (; written < lines.size() && lines[written]; ++written) {
                if (to_stdout) {
                    if (progress) std::cerr << "\r\033[K";
                    std::cout << *lines[written] << std::flush;
                } else {
                    file->append(*lines[written]);  // written as it goes: a fleet's report is never held whole
                }
                lines[written].reset();
            }
            if (progress) show_progress(finished, machines.size(), machines[i].name, start);
        }
    };
    std::vector<std::jthread> pool;
    for (unsigned t = 1; t < jobs; ++t) pool.emplace_back(worker);
    worker();
    pool.clear();
    if (progress) std::cerr << "\r\033[K" << std::flush;
    return exits;
}

}  // namespace

int run_lint_batch(const InputOptions& shared, const OutputOptions& output, const BatchOptions& batch) {
    const auto gate = batch_gate(output);
    if (!gate) return kExitBadInput;
    auto listed = list_machines(batch.directory);
    if (!listed) {
        std::cerr << format_input_error(listed.error()) << '\n';
        return kExitBadInput;
    }
    const auto& machines = listed.value();
    const unsigned jobs = std::max(1U, std::min<unsigned>(batch.jobs ? batch.jobs : std::thread::hardware_concurrency(),
                                                          static_cast<unsigned>(std::max<std::size_t>(machines.size(), 1))));
    const bool to_stdout = output.output.empty();
    std::optional<AtomicFileSink> file;
    if (!to_stdout) file.emplace(output.output);
    BatchSummary summary;
    const auto start = Clock::now();
    const std::vector<int> exits = lint_machines(machines, shared, *gate, jobs, file ? &*file : nullptr, summary);
    if (file)
        if (auto error = file->commit()) {
            std::cerr << "bootmap: error: " << *error << '\n';
            return kExitBadInput;
        }
    if (to_stdout && !std::cout) return kExitBadInput;
    if (!output.quiet) std::cerr << summary.render(seconds_since(start)) << std::flush;
    return exits.empty() ? kExitClean : *std::max_element(exits.begin(), exits.end());
}

}  // namespace bootmap::cli
