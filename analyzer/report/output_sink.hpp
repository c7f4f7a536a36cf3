#pragma once
// Where a report goes, a piece at a time: reporters append to the sink and it hands each full
// chunk on, so a report of a million findings never exists whole in memory.

#include <cstddef>
#include <string>
#include <string_view>

namespace bootmap {

class OutputSink {
public:
    OutputSink() = default;
    OutputSink(const OutputSink&) = delete;
    OutputSink& operator=(const OutputSink&) = delete;
    virtual ~OutputSink() = default;

    void append(std::string_view text) {
        buffer_.append(text);
        flush_if_full();
    }
    // For formatting in place (fmt::format_to(std::back_inserter(sink.buffer()), ...)); call
    // flush_if_full() after each piece.
    std::string& buffer() { return buffer_; }
    void flush_if_full() {
        if (buffer_.size() >= kChunkBytes) flush();
    }
    // Hands on what is left; false when the destination refused a chunk (error() says why).
    [[nodiscard]] bool finish() {
        flush();
        return error_.empty();
    }
    [[nodiscard]] const std::string& error() const { return error_; }

protected:
    // Writes one chunk; an error message when it cannot.
    virtual std::string deliver(std::string_view chunk) = 0;

private:
    static constexpr std::size_t kChunkBytes = std::size_t{1} << 20;
    void flush() {
        if (!buffer_.empty() && error_.empty()) error_ = deliver(buffer_);
        buffer_.clear();
    }
    std::string buffer_;
    std::string error_;
};

// The whole report as one string: for tests and for the few callers that need the text itself.
class StringSink final : public OutputSink {
public:
    std::string take() {
        (void)finish();
        return std::move(text_);
    }

private:
    std::string deliver(std::string_view chunk) override {
        text_.append(chunk);
        return {};
    }
    std::string text_;
};

}  // namespace bootmap
