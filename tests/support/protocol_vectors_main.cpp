// Prints the test vectors of docs/protocol.md (see protocol_vectors.h).
#include <iostream>

#include "tests/support/protocol_vectors.h"

int main() { std::cout << ess::test::ProtocolVectorsMarkdown(); }
