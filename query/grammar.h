// Internal to query: grammar facts that tests check (the PEGTL grammar
// itself stays inside grammar.cc).
#pragma once

#include <cstddef>

namespace docket::grammar {

// Number of problems tao::pegtl::analyze finds in the grammar (0 = none:
// no rule can loop without consuming input).
size_t AnalyzeProblems();

}  // namespace docket::grammar
