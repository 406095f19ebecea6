// `docket-serve`, run by `docket serve` (cli/serve_command.h): argv -> RunServe -> exit code.
#include <string>
#include <vector>

#include "cli/server/serve.h"

int main(int argc, char** argv) {
  return docket::cli::server::RunServe(std::vector<std::string>(argv + 1, argv + argc));
}
