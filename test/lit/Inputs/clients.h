// Prototypes of the synchronous HTTP and database clients named in
// rules/blocking.yaml (libcurl easy, sqlite3, libpq, MySQL, hiredis), with
// their real names, for machines without the development headers.
#ifndef TASKFIT_LIT_CLIENTS_H
#define TASKFIT_LIT_CLIENTS_H

extern "C" {
// libcurl
typedef struct Curl_easy CURL;
typedef struct Curl_multi CURLM;
typedef int CURLcode;
typedef int CURLMcode;
struct curl_waitfd;
CURL* curl_easy_init(void);
CURLcode curl_easy_setopt(CURL* curl, int option, ...);
CURLcode curl_easy_perform(CURL* curl);
void curl_easy_cleanup(CURL* curl);
CURLMcode curl_multi_perform(CURLM* multi, int* running_handles);
CURLMcode curl_multi_poll(CURLM* multi, struct curl_waitfd extra_fds[], unsigned int extra_nfds,
                          int timeout_ms, int* numfds);

// sqlite3
typedef struct sqlite3 sqlite3;
typedef struct sqlite3_stmt sqlite3_stmt;
int sqlite3_open(const char* filename, sqlite3** db);
int sqlite3_exec(sqlite3* db, const char* sql, int (*callback)(void*, int, char**, char**),
                 void* arg, char** errmsg);
int sqlite3_prepare_v2(sqlite3* db, const char* sql, int bytes, sqlite3_stmt** stmt,
                       const char** tail);
int sqlite3_step(sqlite3_stmt* stmt);
int sqlite3_close(sqlite3* db);
const char* sqlite3_errmsg(sqlite3* db);

// libpq
typedef struct pg_conn PGconn;
typedef struct pg_result PGresult;
PGconn* PQconnectdb(const char* conninfo);
PGresult* PQexec(PGconn* conn, const char* query);
int PQsendQuery(PGconn* conn, const char* query);
int PQconsumeInput(PGconn* conn);
int PQisBusy(PGconn* conn);
int PQgetCopyData(PGconn* conn, char** buffer, int async);
void PQclear(PGresult* res);

// MySQL / MariaDB
typedef struct st_mysql MYSQL;
typedef struct st_mysql_res MYSQL_RES;
MYSQL* mysql_init(MYSQL* mysql);
MYSQL* mysql_real_connect(MYSQL* mysql, const char* host, const char* user, const char* passwd,
                          const char* db, unsigned int port, const char* unix_socket,
                          unsigned long clientflag);
int mysql_query(MYSQL* mysql, const char* q);
MYSQL_RES* mysql_store_result(MYSQL* mysql);
const char* mysql_error(MYSQL* mysql);

// hiredis
typedef struct redisContext redisContext;
typedef struct redisAsyncContext redisAsyncContext;
redisContext* redisConnect(const char* ip, int port);
void* redisCommand(redisContext* c, const char* format, ...);
int redisGetReply(redisContext* c, void** reply);
redisAsyncContext* redisAsyncConnect(const char* ip, int port);
int redisAsyncCommand(redisAsyncContext* ac, void (*fn)(redisAsyncContext*, void*, void*),
                      void* privdata, const char* format, ...);
void freeReplyObject(void* reply);
}

#endif
