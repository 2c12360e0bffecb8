// Bytes in and out of cereal's binary archives without copying through std::stringstream.
#pragma once

#include <cereal/archives/binary.hpp>
#include <cstddef>
#include <istream>
#include <ostream>
#include <streambuf>
#include <string>
#include <string_view>

namespace taskfit::detail {

class AppendToString final : public std::streambuf {
public:
  explicit AppendToString(std::string& out) noexcept : out_(out) {}

protected:
  std::streamsize xsputn(const char* data, std::streamsize size) override {
    out_.append(data, static_cast<std::size_t>(size));
    return size;
  }
  int_type overflow(int_type c) override {
    if (!traits_type::eq_int_type(c, traits_type::eof()))
      out_.push_back(traits_type::to_char_type(c));
    return traits_type::not_eof(c);
  }

private:
  std::string& out_;
};

class ReadFromView final : public std::streambuf {
public:
  explicit ReadFromView(std::string_view bytes) noexcept {
    char* begin = const_cast<char*>(bytes.data()); // read-only use: get area only
    setg(begin, begin, begin + bytes.size());
  }
};

template <class... Values>
void append_serialized(std::streambuf& out, Values&&... values) {
  std::ostream stream(&out);
  cereal::BinaryOutputArchive archive(stream);
  archive(std::forward<Values>(values)...);
}

template <class... Values>
void append_serialized(std::string& out, Values&&... values) {
  AppendToString buffer(out);
  append_serialized(static_cast<std::streambuf&>(buffer), std::forward<Values>(values)...);
}

template <class... Values>
void deserialize(std::string_view bytes, Values&... values) {
  ReadFromView buffer(bytes);
  std::istream stream(&buffer);
  cereal::BinaryInputArchive archive(stream);
  archive(values...);
}

} // namespace taskfit::detail
