// The SDK's C++ side of the ABI: records, statuses, logging, batch memory.
#include <algorithm>
#include <cstring>
#include <yizhan/sdk/plugin.hpp>

namespace yizhan::sdk {

Record Record::ok(CaseRecord record, std::string raw_payload) {
  Record r;
  r.external_id = record.external_id;
  r.mapped = std::move(record);
  r.raw = std::move(raw_payload);
  return r;
}

Record Record::rejected(std::string external_id, std::string raw_payload, std::string reason) {
  Record r;
  r.external_id = std::move(external_id);
  r.raw = std::move(raw_payload);
  r.error = reason.empty() ? std::string("rejected by plugin") : std::move(reason);
  return r;
}

Logger::Logger(const yz_host_api* host, std::string instance) : host_(host), instance_(std::move(instance)) {}
void Logger::emit(int32_t level, std::string_view message) const {
  if (host_ && host_->log) host_->log(host_->ctx, level, detail::bytes(instance_), detail::bytes(message));
}
void Logger::debug(std::string_view m) const { emit(YZ_LOG_DEBUG, m); }
void Logger::info(std::string_view m) const { emit(YZ_LOG_INFO, m); }
void Logger::warn(std::string_view m) const { emit(YZ_LOG_WARN, m); }
void Logger::error(std::string_view m) const { emit(YZ_LOG_ERROR, m); }

std::string_view PushRequest::header(std::string_view name) const {
  for (const auto& [n, v] : headers)
    if (n == name) return v;
  return {};
}

std::string mask(std::string_view v) {
  if (v.size() <= 7) return std::string(v.size(), '*');
  return std::string(v.substr(0, 3)) + std::string(v.size() - 7, '*') + std::string(v.substr(v.size() - 4));
}

namespace detail {

yz_status make_status(int32_t code, std::string_view message) noexcept {
  yz_status s{};
  s.code = code;
  // Truncate on a UTF-8 boundary so the message stays valid text.
  size_t n = std::min(message.size(), sizeof(s.message) - 1);
  while (n > 0 && n < message.size() && (static_cast<unsigned char>(message[n]) & 0xC0) == 0x80) --n;
  if (n) std::memcpy(s.message, message.data(), n);  // data() may be null when empty
  s.message[n] = '\0';
  return s;
}

yz_status current_exception_status(std::string_view operation) noexcept {
  std::string prefix = std::string(operation) + ": ";
  try {
    throw;
  } catch (const UpstreamError& e) {
    return make_status(YZ_E_UPSTREAM, prefix + e.what());
  } catch (const CursorError& e) {
    return make_status(YZ_E_CURSOR_INVALID, prefix + e.what());
  } catch (const ConfigError& e) {
    return make_status(YZ_E_CONFIG, prefix + e.what());
  } catch (const std::exception& e) {
    return make_status(YZ_E_INTERNAL, prefix + e.what());
  } catch (...) {
    return make_status(YZ_E_INTERNAL, prefix + "unknown exception");
  }
}

// The records' JSON and ABI views, into memory that lives in the instance's box.
static void fill_records(std::vector<Record>& recs, std::vector<std::string>& case_json,
                         std::vector<yz_record>& views) {
  case_json.assign(recs.size(), std::string());
  views.assign(recs.size(), yz_record{});
  for (size_t i = 0; i < recs.size(); ++i) {
    auto& r = recs[i];
    if (r.error.empty()) {
      if (r.external_id.empty()) r.external_id = r.mapped.external_id;
      if (r.mapped.external_id.empty()) r.mapped.external_id = r.external_id;
      case_json[i] = to_json(r.mapped);
    }
    views[i] = yz_record{bytes(r.external_id), bytes(case_json[i]), bytes(r.raw), bytes(r.error)};
  }
}

PushRequest push_request(const yz_push_request& in) {
  PushRequest r;
  r.method = view(in.method);
  r.target = view(in.target);
  r.body = view(in.body);
  for (uint32_t i = 0; in.headers && i < in.header_count; ++i)
    r.headers.emplace_back(view(in.headers[i].name), view(in.headers[i].value));
  return r;
}

void fill_reply(ReceiverBox& box, yz_push_reply* out) {
  fill_records(box.last.records, box.case_json, box.views);
  *out = yz_push_reply{box.last.http_status, bytes(box.last.content_type), bytes(box.last.body), box.views.data(),
                       static_cast<uint32_t>(box.views.size())};
}

void fill_batch(InstanceBox& box, yz_batch* out) {
  fill_records(box.last.records, box.case_json, box.views);
  *out = yz_batch{box.views.data(), static_cast<uint32_t>(box.views.size()), box.last.has_more ? 1u : 0u,
                  bytes(box.last.next_cursor)};
}

}  // namespace detail
}  // namespace yizhan::sdk
