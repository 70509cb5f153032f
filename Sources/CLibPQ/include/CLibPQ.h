#ifndef BUDDY_CLIBPQ_H
#define BUDDY_CLIBPQ_H

// libpq's API, loaded at first use (LibPQLoader.c): the declarations are libpq's own, the
// definitions this target's forwarders. Debian puts the header under postgresql/.
#if __has_include(<libpq-fe.h>)
#include <libpq-fe.h>
#include <postgres_ext.h>
#else
#include <postgresql/libpq-fe.h>
#include <postgresql/postgres_ext.h>
#endif

// The PG_DIAG_* field codes are character-literal macros that Swift cannot import.
static const int BuddyPGDiagSeverity = PG_DIAG_SEVERITY_NONLOCALIZED;
static const int BuddyPGDiagSQLState = PG_DIAG_SQLSTATE;
static const int BuddyPGDiagMessagePrimary = PG_DIAG_MESSAGE_PRIMARY;
static const int BuddyPGDiagMessageDetail = PG_DIAG_MESSAGE_DETAIL;
static const int BuddyPGDiagMessageHint = PG_DIAG_MESSAGE_HINT;
static const int BuddyPGDiagConstraintName = PG_DIAG_CONSTRAINT_NAME;
static const int BuddyPGDiagTableName = PG_DIAG_TABLE_NAME;
static const int BuddyPGDiagColumnName = PG_DIAG_COLUMN_NAME;

/// The exit status when libpq cannot be loaded: 78, `ExitStatus.config` in the CLI (a missing
/// tool or library is a configuration problem).
static const int BuddyLibPQMissingStatus = 78;

#endif
