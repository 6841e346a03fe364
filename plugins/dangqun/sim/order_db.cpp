// Schema, inserts and in-place updates through the SQLite C API.
#include "order_db.hpp"

#include <stdexcept>

#include "sim_support/civil_time.hpp"

namespace yizhan::sim::dangqun {
namespace {

constexpr const char* kSchema = R"sql(
CREATE TABLE t_fwdd (
  id   INTEGER PRIMARY KEY,  -- 主键
  ddbh TEXT,                 -- 订单编号
  qzxm TEXT,                 -- 群众姓名
  lxdh TEXT,                 -- 联系电话
  sfzh TEXT,                 -- 身份证号
  sqdm TEXT,                 -- 社区代码 (12-digit division)
  wgbh TEXT,                 -- 网格编号
  dz   TEXT,                 -- 地址
  fwlx TEXT,                 -- 服务类型
  bt   TEXT,                 -- 标题
  nr   TEXT,                 -- 内容
  ddzt TEXT,                 -- 订单状态: 10 点单 20 派单 30 接单 40 领单 50 办结 60 评价 90 撤销
  ddly TEXT,                 -- 订单来源: 1 窗口 2 网上 3 电话
  jdbm TEXT,                 -- 接单部门
  ldry TEXT,                 -- 领单党员 (t_dyxx.dybh)
  pjdf INTEGER,              -- 评价得分
  cjsj TEXT,                 -- 创建时间
  gxsj TEXT,                 -- 更新时间
  sfsc INTEGER DEFAULT 0     -- 是否删除
);
CREATE INDEX idx_fwdd_gxsj ON t_fwdd (gxsj, id);
CREATE TABLE t_dyxx (
  id   INTEGER PRIMARY KEY,
  dybh TEXT,                 -- 党员编号
  xm   TEXT,                 -- 姓名
  dzb  TEXT,                 -- 党支部
  lxdh TEXT                  -- 联系电话
);
)sql";

void bind(sqlite3_stmt* st, int i, const Text& v) {
  if (v)
    sqlite3_bind_text(st, i, v->c_str(), static_cast<int>(v->size()), SQLITE_TRANSIENT);
  else
    sqlite3_bind_null(st, i);
}
void bind(sqlite3_stmt* st, int i, const std::string& v) { bind(st, i, Text(v)); }

}  // namespace

OrderDb::OrderDb(const std::filesystem::path& file) : file_(file) {
  for (const char* suffix : {"", "-wal", "-shm", "-journal"}) std::filesystem::remove(file.string() + suffix);
  if (sqlite3_open(file.c_str(), &db_) != SQLITE_OK) fail("opening");
  sqlite3_busy_timeout(db_, 10000);
  exec("PRAGMA journal_mode=WAL");
  exec("PRAGMA synchronous=NORMAL");
  exec(kSchema);
  const char* sql = "UPDATE t_fwdd SET ddzt = ?, jdbm = ?, ldry = ?, pjdf = ?, gxsj = ?, sfsc = ? WHERE id = ?";
  if (sqlite3_prepare_v2(db_, sql, -1, &update_, nullptr) != SQLITE_OK) fail("preparing the update");
}

OrderDb::~OrderDb() {
  sqlite3_finalize(update_);
  sqlite3_close(db_);
}

void OrderDb::fail(const std::string& what) {
  throw std::runtime_error(file_.string() + ": " + what + ": " + (db_ ? sqlite3_errmsg(db_) : "out of memory"));
}

void OrderDb::exec(const std::string& sql) {
  char* err = nullptr;
  if (sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, &err) != SQLITE_OK) {
    std::string msg = err ? err : "unknown error";
    sqlite3_free(err);
    throw std::runtime_error(file_.string() + ": " + sql.substr(0, 60) + ": " + msg);
  }
}

void OrderDb::fill(const OrderBook& book) {
  begin(false);
  sqlite3_stmt* st = nullptr;
  const char* sql =
      "INSERT INTO t_fwdd (id, ddbh, qzxm, lxdh, sfzh, sqdm, wgbh, dz, fwlx, bt, nr, ddzt, ddly, jdbm, ldry, pjdf, "
      "cjsj, gxsj, sfsc) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
  if (sqlite3_prepare_v2(db_, sql, -1, &st, nullptr) != SQLITE_OK) fail("preparing the insert");
  for (const auto& o : book.orders) {
    sqlite3_reset(st);
    sqlite3_bind_int64(st, 1, o.id);
    bind(st, 2, o.ddbh);
    bind(st, 3, o.qzxm);
    bind(st, 4, o.lxdh);
    bind(st, 5, o.sfzh);
    bind(st, 6, o.sqdm);
    bind(st, 7, o.wgbh);
    bind(st, 8, o.dz);
    bind(st, 9, o.fwlx);
    bind(st, 10, o.bt);
    bind(st, 11, o.nr);
    bind(st, 12, o.ddzt);
    bind(st, 13, o.ddly);
    bind(st, 14, o.jdbm);
    bind(st, 15, o.ldry);
    if (o.pjdf)
      sqlite3_bind_int64(st, 16, std::stoll(*o.pjdf));
    else
      sqlite3_bind_null(st, 16);
    bind(st, 17, o.cjsj);
    bind(st, 18, format_local(o.gxsj));
    sqlite3_bind_int(st, 19, o.sfsc);
    if (sqlite3_step(st) != SQLITE_DONE) {
      sqlite3_finalize(st);
      fail("inserting order " + std::to_string(o.id));
    }
  }
  sqlite3_finalize(st);
  if (sqlite3_prepare_v2(db_, "INSERT INTO t_dyxx (dybh, xm, dzb, lxdh) VALUES (?, ?, ?, ?)", -1, &st, nullptr) !=
      SQLITE_OK)
    fail("preparing the member insert");
  for (const auto& m : book.members) {
    sqlite3_reset(st);
    bind(st, 1, m.dybh);
    bind(st, 2, m.xm);
    bind(st, 3, m.dzb);
    bind(st, 4, m.lxdh);
    if (sqlite3_step(st) != SQLITE_DONE) {
      sqlite3_finalize(st);
      fail("inserting a party member");
    }
  }
  sqlite3_finalize(st);
  commit();
}

void OrderDb::update(const Order& o) {
  sqlite3_reset(update_);
  bind(update_, 1, o.ddzt);
  bind(update_, 2, o.jdbm);
  bind(update_, 3, o.ldry);
  if (o.pjdf)
    sqlite3_bind_int64(update_, 4, std::stoll(*o.pjdf));
  else
    sqlite3_bind_null(update_, 4);
  bind(update_, 5, format_local(o.gxsj));
  sqlite3_bind_int(update_, 6, o.sfsc);
  sqlite3_bind_int64(update_, 7, o.id);
  if (sqlite3_step(update_) != SQLITE_DONE) fail("updating order " + std::to_string(o.id));
}

void OrderDb::begin(bool exclusive) {
  exclusive_ = exclusive;
  if (exclusive) exec("PRAGMA locking_mode=EXCLUSIVE");
  // Readers in the middle of a read can keep the writer out for longer than the busy
  // timeout; the writer of a real system waits for them rather than dying.
  for (int attempt = 0;; ++attempt) {
    try {
      exec(exclusive ? "BEGIN EXCLUSIVE" : "BEGIN IMMEDIATE");
      return;
    } catch (const std::runtime_error&) {
      if (sqlite3_errcode(db_) != SQLITE_BUSY || attempt >= 10) throw;
    }
  }
}

void OrderDb::commit() {
  exec("COMMIT");
  if (exclusive_) {
    exec("PRAGMA locking_mode=NORMAL");
    exec("SELECT count(*) FROM t_dyxx");  // the next access releases the exclusive lock
    exclusive_ = false;
  }
}

}  // namespace yizhan::sim::dangqun
