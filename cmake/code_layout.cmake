# Rewrites BINARY in place with llvm-bolt (BOLT), the functions named in
# FUNCTIONS (one symbol per line) first, in that order
# (cli/CMakeLists.txt says why). Quiet unless it fails, or unless more than
# a tenth of FUNCTIONS is no longer in the binary: then the list is stale
# and scripts/profile-layout writes it anew.
execute_process(
  COMMAND ${BOLT} ${BINARY} -o ${BINARY}.layout -reorder-functions=user -function-order=${FUNCTIONS}
  RESULT_VARIABLE status
  OUTPUT_VARIABLE log
  ERROR_VARIABLE log)
if(NOT status EQUAL 0)
  file(REMOVE ${BINARY} ${BINARY}.layout)
  message(FATAL_ERROR "llvm-bolt could not lay out ${BINARY}:\n${log}")
endif()
file(STRINGS ${FUNCTIONS} listed)
list(LENGTH listed listed_count)
if(log MATCHES "can't find functions for ([0-9]+) entries")
  math(EXPR stale_percent "${CMAKE_MATCH_1} * 100 / ${listed_count}")
  if(stale_percent GREATER 10)
    message(WARNING "${CMAKE_MATCH_1} of the ${listed_count} functions in ${FUNCTIONS} are no longer "
                    "in docket: run scripts/profile-layout")
  endif()
endif()
# Written in pieces of 4 MiB: the page cache then holds the binary in large
# folios, and a page fault maps many of its pages at once. llvm-bolt writes
# 4 KiB at a time; a one-shot point lookup then took 211 page faults
# against 170 (benchmarks/README.md, "What changed", item 9).
execute_process(COMMAND dd if=${BINARY}.layout of=${BINARY} bs=4M status=none
                RESULT_VARIABLE status)
if(NOT status EQUAL 0)
  file(REMOVE ${BINARY} ${BINARY}.layout)
  message(FATAL_ERROR "could not write ${BINARY}")
endif()
file(REMOVE ${BINARY}.layout)
