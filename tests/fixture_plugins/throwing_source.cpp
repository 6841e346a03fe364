// A source whose poll always throws: the hub must report it by name and carry on.
#include <yizhan/sdk/plugin.hpp>

#include <stdexcept>

namespace {
constexpr yz_config_field kConfig[] = {
    {"message", YZ_CFG_STRING, 0, "upstream parser exploded", "What the exception says", 0, -1},
};
class ThrowingSource : public yizhan::sdk::Source {
 public:
  explicit ThrowingSource(const yizhan::sdk::SourceContext& ctx) : message_(ctx.config.string("message")) {}
  yizhan::sdk::PollResult poll(std::string_view) override { throw std::logic_error(message_); }

 private:
  std::string message_;
};
}  // namespace

YZ_PLUGIN(throwing_source, "1.0.0", "Throws in every poll", kConfig, ThrowingSource)
