// libpq, loaded at its first use instead of at process start.
//
// Linked directly, libpq brings 21 shared libraries into every `buddy` process (libssl,
// gnutls, krb5, ldap, sasl, p11-kit, …): about 2 ms of every start and a third of its page
// faults, though `buddy count` of a landmark file never talks to a database. So this target
// defines each libpq function the Postgres module calls, with libpq's own prototype (the
// header's declarations make the compiler check every signature), as a forwarder: the first
// call opens libpq with dlopen and resolves them all; every call then jumps through the table.
//
// When libpq cannot be loaded (not installed, or a library too old to have one of these
// functions) there is nothing a database command can do: it prints one line naming the
// library and the reason, and the process exits with 78 (`ExitStatus.config`, documented in
// `buddy --help` and the README) before anything was stored. `BUDDY_LIBPQ` names another
// library file to load (the tests point it at a missing file).

#include "CLibPQ.h"

#include <CLazyLibrary.h>
#include <pthread.h>

// Every forwarded function: X(return type, name, parameters, arguments). Hidden, so libpq and
// anything else loaded later never bind to the forwarders instead of libpq's own functions.
#define BUDDY_LIBPQ_FUNCTIONS(X)                                                                  \
  X(PGconn *, PQconnectdbParams,                                                                  \
    (const char *const *keywords, const char *const *values, int expand_dbname),                  \
    (keywords, values, expand_dbname))                                                            \
  X(ConnStatusType, PQstatus, (const PGconn *conn), (conn))                                       \
  X(PQnoticeProcessor, PQsetNoticeProcessor, (PGconn * conn, PQnoticeProcessor proc, void *arg),  \
    (conn, proc, arg))                                                                            \
  X(int, PQserverVersion, (const PGconn *conn), (conn))                                           \
  X(char *, PQhost, (const PGconn *conn), (conn))                                                 \
  X(char *, PQport, (const PGconn *conn), (conn))                                                 \
  X(char *, PQdb, (const PGconn *conn), (conn))                                                   \
  X(char *, PQuser, (const PGconn *conn), (conn))                                                 \
  X(int, PQsslInUse, (PGconn * conn), (conn))                                                     \
  X(char *, PQencryptPasswordConn,                                                                \
    (PGconn * conn, const char *passwd, const char *user, const char *algorithm),                 \
    (conn, passwd, user, algorithm))                                                              \
  X(PGresult *, PQexecParams,                                                                     \
    (PGconn * conn, const char *command, int nParams, const Oid *paramTypes,                      \
     const char *const *paramValues, const int *paramLengths, const int *paramFormats,            \
     int resultFormat),                                                                           \
    (conn, command, nParams, paramTypes, paramValues, paramLengths, paramFormats, resultFormat))  \
  X(PGresult *, PQexec, (PGconn * conn, const char *query), (conn, query))                        \
  X(PGresult *, PQgetResult, (PGconn * conn), (conn))                                             \
  X(ExecStatusType, PQresultStatus, (const PGresult *res), (res))                                 \
  X(int, PQputCopyData, (PGconn * conn, const char *buffer, int nbytes), (conn, buffer, nbytes))  \
  X(int, PQputCopyEnd, (PGconn * conn, const char *errormsg), (conn, errormsg))                   \
  X(char *, PQresultErrorField, (const PGresult *res, int fieldcode), (res, fieldcode))           \
  X(char *, PQresultErrorMessage, (const PGresult *res), (res))                                   \
  X(char *, PQerrorMessage, (const PGconn *conn), (conn))                                         \
  X(PQconninfoOption *, PQconninfoParse, (const char *conninfo, char **errmsg),                   \
    (conninfo, errmsg))                                                                           \
  X(int, PQntuples, (const PGresult *res), (res))                                                 \
  X(int, PQnfields, (const PGresult *res), (res))                                                 \
  X(char *, PQcmdTuples, (PGresult * res), (res))                                                 \
  X(char *, PQcmdStatus, (PGresult * res), (res))                                                 \
  X(char *, PQfname, (const PGresult *res, int field_num), (res, field_num))                      \
  X(int, PQfnumber, (const PGresult *res, const char *field_name), (res, field_name))             \
  X(Oid, PQftype, (const PGresult *res, int field_num), (res, field_num))                         \
  X(char *, PQgetvalue, (const PGresult *res, int tup_num, int field_num),                        \
    (res, tup_num, field_num))                                                                    \
  X(int, PQgetisnull, (const PGresult *res, int tup_num, int field_num),                          \
    (res, tup_num, field_num))                                                                    \
  X(int, PQgetlength, (const PGresult *res, int tup_num, int field_num),                          \
    (res, tup_num, field_num))

// The same for functions that return nothing.
#define BUDDY_LIBPQ_PROCEDURES(X)                                                                 \
  X(PQfinish, (PGconn * conn), (conn))                                                            \
  X(PQclear, (PGresult * res), (res))                                                             \
  X(PQfreemem, (void *ptr), (ptr))                                                                \
  X(PQconninfoFree, (PQconninfoOption * connOptions), (connOptions))

/// The library loaded when `BUDDY_LIBPQ` is unset (libpq5's soname), and the line printed
/// when it cannot be loaded.
static const BuddyLazyLibrary library = {
    .environmentName = "BUDDY_LIBPQ",
    .defaultFile = "libpq.so.5",
    .description = "the PostgreSQL client library",
    .installHint = "apt-get install libpq5",
    .missingStatus = BuddyLibPQMissingStatus,
};

// The resolved functions (written once, under `once`, before any forwarder reads them).
static struct {
#define BUDDY_FIELD(type, name, parameters, arguments) type(*name) parameters;
#define BUDDY_PROCEDURE_FIELD(name, parameters, arguments) void(*name) parameters;
  BUDDY_LIBPQ_FUNCTIONS(BUDDY_FIELD)
  BUDDY_LIBPQ_PROCEDURES(BUDDY_PROCEDURE_FIELD)
#undef BUDDY_FIELD
#undef BUDDY_PROCEDURE_FIELD
} libpq;

static pthread_once_t once = PTHREAD_ONCE_INIT;

static void load(void) {
  const char *file;
  void *handle = buddy_lazy_open(&library, &file);
#define BUDDY_RESOLVE(type, name, parameters, arguments)                                          \
  libpq.name = (type(*) parameters)buddy_lazy_symbol(&library, handle, file, #name);
#define BUDDY_RESOLVE_PROCEDURE(name, parameters, arguments)                                      \
  libpq.name = (void(*) parameters)buddy_lazy_symbol(&library, handle, file, #name);
  BUDDY_LIBPQ_FUNCTIONS(BUDDY_RESOLVE)
  BUDDY_LIBPQ_PROCEDURES(BUDDY_RESOLVE_PROCEDURE)
#undef BUDDY_RESOLVE
#undef BUDDY_RESOLVE_PROCEDURE
}

#define BUDDY_FORWARD(type, name, parameters, arguments)                                          \
  __attribute__((visibility("hidden"))) type name parameters {                                    \
    pthread_once(&once, load);                                                                    \
    return libpq.name arguments;                                                                  \
  }
#define BUDDY_FORWARD_PROCEDURE(name, parameters, arguments)                                      \
  __attribute__((visibility("hidden"))) void name parameters {                                    \
    pthread_once(&once, load);                                                                    \
    libpq.name arguments;                                                                         \
  }
BUDDY_LIBPQ_FUNCTIONS(BUDDY_FORWARD)
BUDDY_LIBPQ_PROCEDURES(BUDDY_FORWARD_PROCEDURE)
