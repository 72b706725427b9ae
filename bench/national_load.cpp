// Fills one region node's journal for the national load of bench/national_reads.sh: the
// initiatives deploy/demo/generate.mjs printed (one InitiativeInput a line) become admitted
// initiative revisions, signed and journalled with core's RegionLogWriter in the node's
// database as the node's journal writes them (100 per transaction, as
// bench/replication_bench.cpp does). The node's schema is applied first by starting the real
// ess-node once without a hub. The record ids are those of tests/hub/hub_test_support.h
// (TestRecordId of the line's number), so the same input always gives the same ids.
//   national_load --database URL --region CODE --key-file FILE --input FILE.jsonl
// Prints on stdout one line: {"region":..,"entries":..,"seconds":..}.
#include <chrono>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <map>

#include "tests/hub/hub_processes.h"
#include "tests/hub/hub_test_support.h"

using namespace ess;
using namespace ess::test;

namespace {

// The public revision of a generated submission: its private contacts dropped, admitted.
std::string PublicPayload(const std::string& line) {
  auto j = nlohmann::json::parse(line);
  j.erase("private");
  j.erase("charter");
  j["status"] = "admitted";
  j["created_at"] = "2026-11-01T10:00:00Z";
  j["updated_at"] = "2026-11-01T10:00:00Z";
  return j.dump();
}

}  // namespace

int main(int argc, char** argv) {
  std::map<std::string, std::string> args;
  for (int i = 1; i + 1 < argc; i += 2) args[std::string(argv[i]).substr(2)] = argv[i + 1];
  for (const char* required : {"database", "region", "key-file", "input"}) {
    if (!args.count(required)) {
      std::cerr << "usage: national_load --database URL --region CODE --key-file FILE --input "
                   "FILE.jsonl\n";
      return 2;
    }
  }
  std::ifstream input(args["input"]);
  if (!input) {
    std::cerr << "national_load: cannot read " << args["input"] << "\n";
    return 1;
  }
  {
    TempDir dir;
    NodeProcess node(dir, args["region"], args["database"], args["key-file"]);
    node.Start("");
    node.Stop();
  }
  NodeJournal journal(args["database"], args["region"], args["key-file"]);
  const auto start = std::chrono::steady_clock::now();
  std::uint32_t n = 0;
  std::vector<LogChange> changes;
  std::string line;
  while (std::getline(input, line)) {
    if (line.empty()) continue;
    changes.push_back(PutInitiative(TestRecordId(n++), PublicPayload(line)));
    if (changes.size() == 100) journal.Append(std::exchange(changes, {}));
  }
  if (!changes.empty()) journal.Append(std::move(changes));
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  std::printf("{\"region\":\"%s\",\"entries\":%u,\"seconds\":%.2f}\n", args["region"].c_str(), n,
              seconds);
  return 0;
}
