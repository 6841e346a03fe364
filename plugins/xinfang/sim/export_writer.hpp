// Writing one export the way the 信访 system does: header, rows, trailer #END,<rows>,
// CRLF line endings, fields quoted when needed, GBK bytes (or UTF-8 with a BOM), and
// the file written in place, in chunks, with pauses between them.
#pragma once

#include <filesystem>
#include <functional>
#include <string>

#include "petition_book.hpp"

namespace yizhan::sim::xinfang {

// The complete bytes of one export. Throws std::runtime_error if a field cannot be
// encoded in GBK.
std::string render_export(const PetitionBook& book, const ExportPlan& plan);

struct ChunkOptions {
  int chunk_bytes = 0;     // mean chunk size; 0: the whole file in one write
  int pause_ms = 0;        // between chunks
  std::uint64_t seed = 1;  // chunk sizes follow from it
};

// Creates dir/plan.file_name and writes `bytes` in chunks of random size (cutting rows
// and characters anywhere), calling pause(ms) between chunks. pause returns false to
// stop (SIGTERM): the file is then left half-written, as the real system would.
// Returns false if stopped. Throws std::runtime_error naming the file on an I/O error.
bool write_export(const std::filesystem::path& dir, const ExportPlan& plan, const std::string& bytes,
                  const ChunkOptions& options, const std::function<bool(int)>& pause);

}  // namespace yizhan::sim::xinfang
