// The folder the 信访 system imports receipt files from (a share mounted on the hub's
// host, like the inbox): files appear there whole or not at all.
#pragma once

#include <filesystem>
#include <string>
#include <string_view>

namespace yizhan::plugins::xinfang {

// Writes `bytes` to dir/.<name>.tmp, flushes it to the share (fsync) and renames it to
// dir/<name>, replacing a file of that name (the same delivery again). The temporary
// name starts with '.' and ends in .tmp, which the system's import ignores. The folder
// is never created: a missing mount point means the share is down, and writing into the
// local folder beneath it would lose the file. Throws sdk::UpstreamError naming the
// folder or file and the reason when the folder is missing, not a folder, or a step
// fails (the temporary file is then removed, if it can be).
void drop_file(const std::filesystem::path& dir, const std::string& name, std::string_view bytes);

}  // namespace yizhan::plugins::xinfang
