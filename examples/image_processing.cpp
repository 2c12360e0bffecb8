// The decision tree's "image processing" scenario (CPU-bound, data in, data out): resize images
// in a process pool. The images are synthetic so the example needs no files.
#include "workloads.hpp"

#include <cstdint>
#include <cstdio>
#include <string>
#include <vector>

namespace {

struct Image {
  std::string name;
  int width = 0;
  int height = 0;
  std::vector<std::uint8_t> pixels; // greyscale, row-major
  template <class Archive>
  void serialize(Archive& archive) {
    archive(name, width, height, pixels);
  }
};

Image make_image(std::string name, int width, int height) {
  Image image{std::move(name), width, height, std::vector<std::uint8_t>(width * height)};
  for (int y = 0; y < height; ++y)
    for (int x = 0; x < width; ++x)
      image.pixels[y * width + x] = static_cast<std::uint8_t>((x * 7 + y * 13) & 0xff);
  return image;
}

// Halves each side with a box filter: pure function of its value argument, so it can run in
// another process.
Image resize_image(Image image) {
  Image half{image.name + ".half", image.width / 2, image.height / 2, {}};
  half.pixels.resize(static_cast<std::size_t>(half.width) * half.height);
  for (int y = 0; y < half.height; ++y)
    for (int x = 0; x < half.width; ++x) {
      int sum = image.pixels[(2 * y) * image.width + 2 * x] +
                image.pixels[(2 * y) * image.width + 2 * x + 1] +
                image.pixels[(2 * y + 1) * image.width + 2 * x] +
                image.pixels[(2 * y + 1) * image.width + 2 * x + 1];
      half.pixels[y * half.width + x] = static_cast<std::uint8_t>(sum / 4);
    }
  return half;
}

} // namespace

int main() {
  auto fork_server = taskfit::ForkServer::start(); // before the images are allocated
  std::vector<Image> images;
  for (int i = 1; i <= 4; ++i)
    images.push_back(make_image("img" + std::to_string(i) + ".raw", 1024, 768));
  taskfit::ProcessPool pool({.fork_server = fork_server});
  auto processed = pool.map<&resize_image>(images);
  for (const Image& image : processed)
    std::printf("%s: %dx%d\n", image.name.c_str(), image.width, image.height);
  return processed.size() == 4 && processed[0].width == 512 ? 0 : 1;
}
