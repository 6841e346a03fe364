// minimal_plugin — the smallest complete Yizhan source plugin.
//
// Upstream: a local JSON-lines file, one matter per line, appended to by some other
// program (a nightly export, a form on a kiosk):
//
//   {"id":"M-0001","title":"楼上噪音扰民","description":"...","address":"岚漪镇...",
//    "reporter_phone":"13812341234","reported_at":"2026-02-26T14:30:00+08:00"}
//
// Cursor: the number of complete lines (ending in '\n') already returned, in decimal.
// "" means 0, the beginning. A half-written last line is left for the next poll.
// A line that is not a JSON object with a string "id" is rejected (the hub
// dead-letters it with the raw line); the cursor still moves past it.
#include <yizhan/sdk/plugin.hpp>

#include <boost/json.hpp>

#include <charconv>
#include <cstdint>
#include <fstream>
#include <string>
#include <string_view>

namespace {
namespace json = boost::json;
using yizhan::sdk::CaseRecord;
using yizhan::sdk::PollResult;
using yizhan::sdk::Record;

// The config schema: key, type, required, default (YAML text), description, min, max.
// The hub validates every instance's config against it before creating the instance.
constexpr yz_config_field kConfig[] = {
    {"path", YZ_CFG_STRING, 1, nullptr, "The JSON-lines file to read, one matter per line", 0, -1},
    {"category", YZ_CFG_STRING, 0, "社情民意", "Taxonomy id given to every record (config/taxonomy.yaml)", 0, -1},
    {"channel", YZ_CFG_STRING, 0, "网上", "Intake channel: 窗口 电话 网格员 网上 来信 来访", 0, -1},
    {"batch_size", YZ_CFG_INT, 0, "100", "Lines returned by one poll at most", 1, 10000},
};

// Reads a cursor; anything but a plain decimal line count is unreadable.
std::uint64_t parse_cursor(std::string_view cursor) {
  if (cursor.empty()) return 0;
  std::uint64_t line = 0;
  auto [end, ec] = std::from_chars(cursor.data(), cursor.data() + cursor.size(), line);
  if (ec != std::errc() || end != cursor.data() + cursor.size())
    throw yizhan::sdk::CursorError("cursor is not a line number (expected decimal digits)");
  return line;
}

std::string text(const json::object& o, std::string_view key) {
  const auto* v = o.if_contains(key);
  return v && v->is_string() ? std::string(v->get_string()) : std::string();
}

class MinimalSource final : public yizhan::sdk::Source {
 public:
  // Construction must be cheap and must not touch the upstream: the hub creates
  // instances at start-up, and poll() is where I/O belongs.
  explicit MinimalSource(const yizhan::sdk::SourceContext& ctx)
      : path_(ctx.config.string("path")),
        category_(ctx.config.string("category")),
        channel_(ctx.config.string("channel")),
        batch_size_(static_cast<std::uint64_t>(ctx.config.integer("batch_size"))),
        log_(ctx.log) {
    if (path_.empty()) throw yizhan::sdk::ConfigError("path is empty");
  }

  PollResult poll(std::string_view cursor) override {
    const std::uint64_t start = parse_cursor(cursor);
    std::ifstream in(path_, std::ios::binary);
    // The file may not exist yet, or sit on a share that is down: retry later.
    if (!in) throw yizhan::sdk::UpstreamError("cannot open " + path_);

    PollResult result;
    std::uint64_t line_no = 0;
    std::string line;
    while (line_no < start + batch_size_ && std::getline(in, line)) {
      if (in.eof()) break;  // no '\n' yet: the writer is still at it
      ++line_no;
      if (line_no <= start) continue;
      if (!line.empty() && line.back() == '\r') line.pop_back();
      if (line.find_first_not_of(" \t") == std::string::npos) continue;  // blank lines carry nothing
      result.records.push_back(map_line(line, line_no));
    }
    if (line_no < start)  // the file has fewer lines than we already returned
      throw yizhan::sdk::CursorError("cursor is at line " + std::to_string(start) + " but " + path_ + " has " +
                                     std::to_string(line_no) + " complete lines: was it replaced or truncated?");
    result.next_cursor = std::to_string(line_no);
    if (line_no > start) log_.debug("read lines " + std::to_string(start + 1) + ".." + std::to_string(line_no));
    // More is ready now when the batch is full and the file goes on.
    result.has_more = line_no == start + batch_size_ && in.peek() != std::char_traits<char>::eof();
    return result;
  }

 private:
  Record map_line(const std::string& line, std::uint64_t line_no) const {
    const std::string where = "line " + std::to_string(line_no);
    json::error_code ec;
    json::value v = json::parse(line, ec);
    if (ec) return Record::rejected(where, line, where + ": not JSON (" + ec.message() + ")");
    if (!v.is_object()) return Record::rejected(where, line, where + ": not a JSON object");
    const auto& o = v.get_object();
    const std::string id = text(o, "id");
    if (id.empty()) return Record::rejected(where, line, where + ": no string \"id\"");
    const std::string title = text(o, "title");
    if (title.empty()) return Record::rejected(id, line, where + ": record " + id + " has no title");

    CaseRecord r;
    r.external_id = id;
    r.version = text(o, "updated_at");
    r.title = title;
    r.description = text(o, "description");
    r.category = category_;
    r.channel = channel_;
    r.status = "received";
    r.received_at = text(o, "reported_at");
    r.updated_at = r.version;
    r.reporter.name = text(o, "reporter_name");
    r.reporter.phone = text(o, "reporter_phone");
    r.place.address = text(o, "address");
    return Record::ok(std::move(r), line);
  }

  std::string path_;
  std::string category_;
  std::string channel_;
  std::uint64_t batch_size_;
  yizhan::sdk::Logger log_;
};

}  // namespace

// The one exported symbol, yizhan_plugin_entry_v1, and the constant descriptor.
YZ_PLUGIN(minimal_plugin, "1.0.0", "Reads matters from a local JSON-lines file (example plugin)", kConfig,
          MinimalSource)
