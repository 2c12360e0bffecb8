// Categories http-client and database: synchronous client libraries wait for
// the server. Their asynchronous and non-waiting calls are not reported
// (curl_multi_perform, PQsendQuery, a zero curl_multi_poll timeout, async
// PQgetCopyData, redisAsyncConnect).
// RUN: not %taskfit --checks='-*,blocking-call-in-coroutine' %s -- -std=c++20 -I%inputs | FileCheck %s --implicit-check-not="warning:"
#include "clients.h"

#include "coro.h"

taskfit::Task<void> http(CURL* easy, CURLM* multi) {
  curl_easy_setopt(easy, 10002, "https://example.com/");
  curl_easy_perform(easy);
  // CHECK: :[[@LINE-1]]:3: warning: coroutine 'http' calls 'curl_easy_perform', which blocks
  // CHECK-SAME: (http-client); {{.*}}curl_multi_socket_action{{.*}} [blocking-call-in-coroutine]
  curl_multi_poll(multi, nullptr, 0, 1000, nullptr);
  // CHECK: :[[@LINE-1]]:3: warning: coroutine 'http' calls 'curl_multi_poll', which blocks
  // CHECK-SAME: (http-client);
  int running = 0;
  curl_multi_perform(multi, &running);
  curl_multi_poll(multi, nullptr, 0, 0, nullptr);
  co_return;
}

taskfit::Task<void> sqlite(sqlite3* db, sqlite3_stmt* statement) {
  sqlite3_open("app.db", &db);
  // CHECK: :[[@LINE-1]]:3: warning: coroutine 'sqlite' calls 'sqlite3_open', which blocks
  // CHECK-SAME: (database); {{.*}} [blocking-call-in-coroutine]
  sqlite3_exec(db, "PRAGMA journal_mode=WAL", nullptr, nullptr, nullptr);
  // CHECK: :[[@LINE-1]]:3: warning: coroutine 'sqlite' calls 'sqlite3_exec', which blocks
  // CHECK-SAME: (database);
  sqlite3_step(statement);
  // CHECK: :[[@LINE-1]]:3: warning: coroutine 'sqlite' calls 'sqlite3_step', which blocks
  // CHECK-SAME: (database);
  sqlite3_errmsg(db);
  co_return;
}

taskfit::Task<void> postgres(PGconn* connection) {
  PGconn* fresh = PQconnectdb("host=db dbname=app");
  // CHECK: :[[@LINE-1]]:19: warning: coroutine 'postgres' calls 'PQconnectdb', which blocks
  // CHECK-SAME: (database); {{.*}}PQsendQuery{{.*}} [blocking-call-in-coroutine]
  PQclear(PQexec(fresh, "SELECT 1"));
  // CHECK: :[[@LINE-1]]:11: warning: coroutine 'postgres' calls 'PQexec', which blocks
  // CHECK-SAME: (database);
  char* row = nullptr;
  PQgetCopyData(connection, &row, 0);
  // CHECK: :[[@LINE-1]]:3: warning: coroutine 'postgres' calls 'PQgetCopyData', which blocks
  // CHECK-SAME: (database);
  // The asynchronous protocol.
  PQsendQuery(connection, "SELECT 1");
  PQconsumeInput(connection);
  PQisBusy(connection);
  PQgetCopyData(connection, &row, 1);
  co_return;
}

taskfit::Task<void> mysql_and_redis(MYSQL* mysql, redisContext* redis) {
  mysql_real_connect(mysql, "db", "app", "secret", "app", 3306, nullptr, 0);
  // CHECK: :[[@LINE-1]]:3: warning: coroutine 'mysql_and_redis' calls 'mysql_real_connect', which
  // CHECK-SAME: blocks (database);
  mysql_query(mysql, "SELECT 1");
  // CHECK: :[[@LINE-1]]:3: warning: coroutine 'mysql_and_redis' calls 'mysql_query', which blocks
  // CHECK-SAME: (database);
  mysql_error(mysql);
  redisContext* other = redisConnect("cache", 6379);
  // CHECK: :[[@LINE-1]]:25: warning: coroutine 'mysql_and_redis' calls 'redisConnect', which
  // CHECK-SAME: blocks (database);
  freeReplyObject(redisCommand(redis, "GET %s", "key"));
  // CHECK: :[[@LINE-1]]:19: warning: coroutine 'mysql_and_redis' calls 'redisCommand', which
  // CHECK-SAME: blocks (database); {{.*}}redisAsyncCommand{{.*}} [blocking-call-in-coroutine]
  (void)other;
  redisAsyncConnect("cache", 6379);
  co_return;
}
