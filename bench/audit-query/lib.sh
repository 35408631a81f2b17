# Sourced by bench/audit-query/run and bench/console/run (from the repository's root): the generated
# audit history they both read, and the classpath of the tool that makes and reads it.

# Sets $cp to audit-log's classes and test classes (compiled first if missing) and slf4j.
audit_query_classpath() {
  if [ ! -d audit-log/target/test-classes/dev/patchgate/audit/query ]; then
    mvn -B -q -o -pl audit-log test-compile
  fi
  cp="audit-log/target/classes:audit-log/target/test-classes"
  local jar
  for jar in $(find "${HOME}/.m2/repository/org/slf4j/slf4j-api" -name 'slf4j-api-2.*.jar' | sort | tail -1); do
    cp="$cp:$jar"
  done
}

# Prints the directory of a generated log of $1 records over $2 days (ending 2026-11-30: every day
# but the last gzipped, seq/hash chained as the gateway writes them), generating it first unless a
# complete one is kept in bench/work/audit-query/ from an earlier run.
audit_query_log() {
  local log
  log="$(pwd)/bench/work/audit-query/log-$1-$2"
  if [ ! -f "$log/.complete" ]; then
    audit_query_classpath
    mkdir -p "$(dirname "$log")"
    rm -rf "$log"
    java -cp "$cp" dev.patchgate.audit.query.GenerateAuditLog "$log" "$1" "$2" >&2
    touch "$log/.complete"
  fi
  echo "$log"
}
