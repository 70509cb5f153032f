#ifndef BUDDY_CLIBPQ_SHIM_H
#define BUDDY_CLIBPQ_SHIM_H

#include <libpq-fe.h>
#include <postgres_ext.h>

// The PG_DIAG_* field codes are character-literal macros that Swift cannot import.
static const int BuddyPGDiagSeverity = PG_DIAG_SEVERITY_NONLOCALIZED;
static const int BuddyPGDiagSQLState = PG_DIAG_SQLSTATE;
static const int BuddyPGDiagMessagePrimary = PG_DIAG_MESSAGE_PRIMARY;
static const int BuddyPGDiagMessageDetail = PG_DIAG_MESSAGE_DETAIL;
static const int BuddyPGDiagMessageHint = PG_DIAG_MESSAGE_HINT;
static const int BuddyPGDiagConstraintName = PG_DIAG_CONSTRAINT_NAME;
static const int BuddyPGDiagTableName = PG_DIAG_TABLE_NAME;
static const int BuddyPGDiagColumnName = PG_DIAG_COLUMN_NAME;

#endif
