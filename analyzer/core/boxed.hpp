#pragma once
// An optional value kept on the heap: the size of a pointer where it is absent. For a rarely set
// member of a value held by the hundred thousand (a finding's fix), with std::optional's reading
// interface and value semantics (copies copy the value, equality compares it).

#include <memory>
#include <optional>
#include <utility>

namespace bootmap {

template <class T>
class Boxed {
public:
    Boxed() = default;
    Boxed(T value) : value_(std::make_unique<T>(std::move(value))) {}  // NOLINT(google-explicit-constructor): assigned like an optional
    Boxed(std::optional<T> value) : value_(value ? std::make_unique<T>(std::move(*value)) : nullptr) {}  // NOLINT(google-explicit-constructor)
    Boxed(const Boxed& other) : value_(other.value_ ? std::make_unique<T>(*other.value_) : nullptr) {}
    Boxed(Boxed&&) noexcept = default;
    Boxed& operator=(const Boxed& other) {
        if (this != &other) value_ = other.value_ ? std::make_unique<T>(*other.value_) : nullptr;
        return *this;
    }
    Boxed& operator=(Boxed&&) noexcept = default;
    ~Boxed() = default;

    explicit operator bool() const { return value_ != nullptr; }
    [[nodiscard]] bool has_value() const { return value_ != nullptr; }
    const T& operator*() const { return *value_; }
    T& operator*() { return *value_; }
    const T* operator->() const { return value_.get(); }
    T* operator->() { return value_.get(); }

    friend bool operator==(const Boxed& a, const Boxed& b) { return a.value_ == nullptr ? b.value_ == nullptr : b.value_ != nullptr && *a.value_ == *b.value_; }

private:
    std::unique_ptr<T> value_;
};

}  // namespace bootmap
