#include "cli/serve_command.h"

#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "cli/diagnostics.h"

namespace docket::cli {

int RunServeCommand(char** argv) {
  std::error_code ec;
  const std::filesystem::path self = std::filesystem::read_symlink("/proc/self/exe", ec);
  const std::string server = (ec ? std::filesystem::path(argv[0]) : self).parent_path() / "docket-serve";
  std::vector<char*> args = {const_cast<char*>(server.c_str())};
  for (char** a = argv + 2; *a; ++a) args.push_back(*a);
  args.push_back(nullptr);
  ::execv(server.c_str(), args.data());
  PrintMessage("serve", fmt::format("cannot run {}: {}", server, std::strerror(errno)));
  return 74;
}

}  // namespace docket::cli
