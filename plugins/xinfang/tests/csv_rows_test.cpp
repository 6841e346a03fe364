// The CSV row scanner: complete rows only, RFC 4180 quoting, GBK-safe.
#include "csv_rows.hpp"

#include <gtest/gtest.h>

namespace yizhan::plugins::xinfang {
namespace {

TEST(CsvRows, SplitsQuotedFieldsWithCommasQuotesAndLineBreaks) {
  std::string data = "a,\"b, c\",\"say \"\"hi\"\"\",\"two\r\nlines\",\r\nnext\r\n";
  auto row = next_csv_row(data, 0);
  ASSERT_TRUE(row);
  EXPECT_EQ(row->fields, (std::vector<std::string>{"a", "b, c", "say \"hi\"", "two\r\nlines", ""}));
  EXPECT_EQ(row->raw, "a,\"b, c\",\"say \"\"hi\"\"\",\"two\r\nlines\",");
  auto second = next_csv_row(data, row->end);
  ASSERT_TRUE(second);
  EXPECT_EQ(second->fields, std::vector<std::string>{"next"});
  EXPECT_EQ(second->end, data.size());
  EXPECT_FALSE(next_csv_row(data, second->end));
}

TEST(CsvRows, APrefixOfARowIsNeverARow) {
  const std::string row = "XF-1,\"内容, \"\"引号\"\"\r\n换行\",3\r\n";
  for (size_t n = 0; n < row.size(); ++n) EXPECT_FALSE(next_csv_row(row.substr(0, n), 0)) << "prefix of " << n;
  auto whole = next_csv_row(row, 0);
  ASSERT_TRUE(whole);
  EXPECT_EQ(whole->fields.size(), 3u);
}

TEST(CsvRows, GbkTrailingBytesAreNotSeparators) {
  // 堃 is 88 D2 in GBK, 镕 is E9 46; "\" (5C) appears as a trailing byte in e.g. 淼 (ED 5C).
  const std::string data = "\x88\xD2,\xE9\x46\xED\x5C,x\r\n";
  auto row = next_csv_row(data, 0);
  ASSERT_TRUE(row);
  EXPECT_EQ(row->fields, (std::vector<std::string>{"\x88\xD2", "\xE9\x46\xED\x5C", "x"}));
}

TEST(CsvRows, BareLineFeedEndsARowToo) {
  auto row = next_csv_row("a,b\nc", 0);
  ASSERT_TRUE(row);
  EXPECT_EQ(row->end, 4u);
}

}  // namespace
}  // namespace yizhan::plugins::xinfang
