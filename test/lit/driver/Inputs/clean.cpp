#include <unistd.h>

// Blocking, but not in a coroutine nor on an event loop: nothing to report.
void tidy_up() { sleep(1); }
