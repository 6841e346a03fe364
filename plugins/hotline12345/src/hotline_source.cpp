// Polling: request, check the envelope, map each work order, advance the cursor.
#include "hotline_source.hpp"

#include <yizhan/sdk/http_client.hpp>
#include <yizhan/sdk/utf8.hpp>

#include "feedback.hpp"
#include "page_reader.hpp"
#include "work_order_mapper.hpp"

namespace yizhan::plugins::hotline12345 {

HotlineSource::HotlineSource(const sdk::SourceContext& ctx)
    : settings_(read_settings(ctx.config)), log_(ctx.log) {}

std::string HotlineSource::list_url(const Cursor& after) const {
  std::string url =
      settings_.base_url + settings_.list_path + "?page_size=" + std::to_string(settings_.page_size);
  if (after.updated_after)
    url += "&updated_after=" + sdk::url_encode(after.updated_after->text) +
           "&after_id=" + std::to_string(after.after_id);
  return url;
}

sdk::HttpRequest HotlineSource::request_to(std::string url) const {
  sdk::HttpRequest request;
  request.url = std::move(url);
  request.timeout = settings_.timeout;
  request.headers = settings_.request_headers;
  request.headers["Accept"] = "application/json";
  return request;
}

sdk::PollResult HotlineSource::poll(std::string_view cursor_text) {
  Cursor cursor = parse_cursor(cursor_text);
  if (cursor.at_start() && settings_.initial_updated_after)
    cursor = Cursor{settings_.initial_updated_after, 0};

  sdk::HttpRequest request = request_to(list_url(cursor));
  sdk::HttpResponse response = sdk::http_request(request);
  if (response.status < 200 || response.status >= 300) {
    std::string body = sdk::printable_utf8(response.body.substr(0, 160));
    for (auto& c : body)
      if (static_cast<unsigned char>(c) < 0x20) c = ' ';
    throw sdk::UpstreamError("GET " + request.url + ": HTTP " + std::to_string(response.status) +
                             (body.empty() ? "" : ": " + body));
  }
  Page page;
  try {
    page = read_page(response.body);
  } catch (const sdk::UpstreamError& e) {
    throw sdk::UpstreamError("GET " + request.url + ": " + e.what());
  }

  sdk::PollResult result;
  const Position seen = cursor.position();
  Cursor next = cursor;
  size_t resent = 0, rejected = 0;
  for (std::string_view raw : page.items) {
    MappedWorkOrder m = map_work_order(raw, settings_);
    if (m.at && m.at->position() <= seen) {
      ++resent;  // the upstream re-sent a work order the hub already has in this version
      continue;
    }
    if (m.at && m.at->position() > next.position()) next = *m.at;
    for (const auto& w : m.warnings) log_.warn(w);
    if (!m.record.error.empty()) {
      ++rejected;
      log_.warn("rejected work order '" + sdk::printable_utf8(m.record.external_id) + "': " + m.record.error);
    }
    result.records.push_back(std::move(m.record));
  }
  // The upstream's own continuation point covers pages whose last records were unreadable.
  if (page.next && page.next->position() > next.position()) next = *page.next;
  result.next_cursor = format_cursor(next);
  result.has_more = page.next.has_value();
  log_.debug("GET " + request.url + ": " + std::to_string(page.items.size()) + " work orders, " +
             std::to_string(result.records.size()) + " returned (" + std::to_string(rejected) +
             " rejected, " + std::to_string(resent) + " re-sent and skipped)" +
             (result.has_more ? ", more to come" : ""));
  return result;
}

void HotlineSource::deliver(const sdk::Delivery& delivery) {
  FeedbackRequest feedback = make_feedback(delivery, settings_);
  for (const auto& w : feedback.warnings) log_.warn(w);
  sdk::HttpRequest request = request_to(feedback.url);
  request.method = "POST";
  request.headers["Content-Type"] = "application/json; charset=utf-8";
  request.headers["Idempotency-Key"] = std::string(delivery.delivery_id);
  request.body = std::move(feedback.body);
  // Transport failures (refused, reset, timed out) throw UpstreamError naming the URL.
  sdk::HttpResponse response = sdk::http_request(request);
  FeedbackOutcome outcome = read_feedback_reply(response.status, response.body);
  const std::string what = "POST " + request.url + " (" + feedback.fklx + ", delivery " +
                           sdk::printable_utf8(delivery.delivery_id) + "): " + outcome.detail;
  switch (outcome.verdict) {
    case FeedbackVerdict::kAccepted:
      log_.debug(what);
      return;
    case FeedbackVerdict::kRetry:
      throw sdk::UpstreamError(what);
    case FeedbackVerdict::kRefused:
      throw sdk::DeliveryRefused(what);
    case FeedbackVerdict::kUnknownWorkOrder:
      if (work_order_exists(feedback.gdbh))
        throw sdk::UpstreamError(what + "; yet work order " + feedback.gdbh +
                                 " exists: is feedback_path right for this platform?");
      throw sdk::DeliveryRefused("the platform has no work order " + feedback.gdbh + ": " + what);
  }
}

bool HotlineSource::work_order_exists(std::string_view gdbh) const {
  sdk::HttpRequest request = request_to(settings_.work_order_url(gdbh));
  sdk::HttpResponse response = sdk::http_request(request);
  FeedbackOutcome outcome = read_feedback_reply(response.status, response.body);
  if (outcome.verdict == FeedbackVerdict::kAccepted) return true;
  if (outcome.verdict == FeedbackVerdict::kUnknownWorkOrder) return false;
  throw sdk::UpstreamError("GET " + request.url + " (does the work order exist?): " + outcome.detail);
}

}  // namespace yizhan::plugins::hotline12345
