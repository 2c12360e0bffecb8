#pragma once

#include "audit_log.h"
#include "replication.h"
#include "store.h"

#include <asio.hpp>
#include <string>

namespace kv {

struct ServerContext {
  Store& store;
  AuditLog& audit;
  ReplicationLog& replication;
  asio::thread_pool& background; ///< Where blocking work goes.
  std::string greeting_path;
};

asio::awaitable<void> listen(asio::ip::tcp::acceptor acceptor, ServerContext& ctx);

} // namespace kv
