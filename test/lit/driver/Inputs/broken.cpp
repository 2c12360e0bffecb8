#include <unistd.h>

void broken() {
  undeclared_function(1);
}
