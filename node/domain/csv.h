#pragma once
// The node's CSV (import and export) is core's (core/csv.h); these names keep the node's code
// and tests reading `CsvTable`, `ParseCsv`... in ess::node.

#include "core/csv.h"

namespace ess::node {

using ess::CsvField;
using ess::CsvLine;
using ess::CsvList;
using ess::CsvRow;
using ess::CsvTable;
using ess::ParseCsv;

}  // namespace ess::node
