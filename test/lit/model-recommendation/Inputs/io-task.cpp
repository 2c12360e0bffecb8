#include "coro.h"
#include <unistd.h>

void fetch(int fd) { char buffer[64]; ::read(fd, buffer, sizeof buffer); }

void start(taskfit::ThreadPool& pool, int fd) { pool.submit([fd] { fetch(fd); }); }
