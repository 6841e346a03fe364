// The SDK's C++ side of the ABI: records, statuses, logging, batch memory.
#include <yizhan/sdk/plugin.hpp>

#include <algorithm>
#include <cstring>

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

Logger::Logger(const yz_host_api* host, std::string instance)
    : host_(host), instance_(std::move(instance)) {}
void Logger::emit(int32_t level, std::string_view message) const {
  if (host_ && host_->log) host_->log(host_->ctx, level, detail::bytes(instance_), detail::bytes(message));
}
void Logger::debug(std::string_view m) const { emit(YZ_LOG_DEBUG, m); }
void Logger::info(std::string_view m) const { emit(YZ_LOG_INFO, m); }
void Logger::warn(std::string_view m) const { emit(YZ_LOG_WARN, m); }
void Logger::error(std::string_view m) const { emit(YZ_LOG_ERROR, m); }

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

void fill_batch(InstanceBox& box, yz_batch* out) {
  auto& recs = box.last.records;
  box.case_json.assign(recs.size(), std::string());
  box.views.assign(recs.size(), yz_record{});
  for (size_t i = 0; i < recs.size(); ++i) {
    auto& r = recs[i];
    if (r.error.empty()) {
      if (r.external_id.empty()) r.external_id = r.mapped.external_id;
      if (r.mapped.external_id.empty()) r.mapped.external_id = r.external_id;
      box.case_json[i] = to_json(r.mapped);
    }
    box.views[i] = yz_record{bytes(r.external_id), bytes(box.case_json[i]), bytes(r.raw), bytes(r.error)};
  }
  *out = yz_batch{box.views.data(), static_cast<uint32_t>(box.views.size()), box.last.has_more ? 1u : 0u,
                  bytes(box.last.next_cursor)};
}

}  // namespace detail
}  // namespace yizhan::sdk
