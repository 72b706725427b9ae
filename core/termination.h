#pragma once
// Blocks SIGINT and SIGTERM in the calling thread (call it first in main, before starting
// threads, so every thread inherits the mask) and later waits for one of them.

namespace ess {

class TerminationSignals {
 public:
  TerminationSignals();
  // Returns the signal number received.
  int Wait();
};

}  // namespace ess
