package io.patchbay.store.jdbi;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.mapper.RowMapper;
import org.jdbi.v3.core.statement.Query;
import org.jdbi.v3.core.statement.StatementContext;

/**
 * Several independent queries sent to PostgreSQL as one statement string, so that the driver sends them together and
 * waits for their answers once: one network round trip instead of one per query. The queries run in the order they
 * were added, each seeing what the previous ones did (in the same transaction, row locks included). Each query's rows
 * are mapped with the row mapper (or, for one column, the column mapper) registered for its type and collected into the {@link Rows} that {@link #add}
 * returned, readable after {@link #run}.
 *
 * <p>Named parameters are written as in any Jdbi query ({@code :ids}); each query's are renamed apart, so two queries
 * may use the same names.
 */
public final class ReadRound {

    private static final Pattern PARAMETER = Pattern.compile("(?<![:\\w]):([A-Za-z_]\\w*)");

    private final List<String> statements = new ArrayList<>();
    private final Map<String, Object> bindings = new LinkedHashMap<>();
    private final List<Rows<?>> results = new ArrayList<>();

    /** The rows one query returned, in order; empty until the round has run. */
    public static final class Rows<T> {

        private final Class<T> type;
        private final List<T> rows = new ArrayList<>();

        private Rows(Class<T> type) {
            this.type = type;
        }

        public List<T> list() {
            return rows;
        }
    }

    /**
     * Adds {@code sql}, with {@code parameters} bound to its named parameters, whose rows map to {@code type}.
     *
     * @return where its rows will be, once {@link #run} has returned
     */
    public <T> Rows<T> add(String sql, Map<String, ?> parameters, Class<T> type) {
        String prefix = "r" + statements.size() + "_";
        Matcher matcher = PARAMETER.matcher(sql);
        StringBuilder renamed = new StringBuilder();
        while (matcher.find()) {
            String name = matcher.group(1);
            if (!parameters.containsKey(name)) {
                throw new IllegalArgumentException("no value for :" + name + " in " + sql);
            }
            matcher.appendReplacement(renamed, Matcher.quoteReplacement(":" + prefix + name));
        }
        matcher.appendTail(renamed);
        parameters.forEach((name, value) -> bindings.put(prefix + name, value));
        statements.add(renamed.toString());
        Rows<T> rows = new Rows<>(type);
        results.add(rows);
        return rows;
    }

    /** Whether no query was added. */
    public boolean isEmpty() {
        return statements.isEmpty();
    }

    /** Sends every query added, in one round trip, and fills their {@link Rows}. */
    public void run(Handle handle) {
        if (statements.isEmpty()) {
            return;
        }
        Query query = handle.createQuery(String.join(";\n", statements));
        bindings.forEach(query::bind);
        query.scanResultSet((supplier, context) -> {
            ResultSet resultSet = supplier.get();
            Statement statement = resultSet.getStatement();
            for (int i = 0; i < results.size(); i++) {
                if (i > 0) {
                    if (!statement.getMoreResults()) {
                        throw new IllegalStateException("query " + i + " of a read round returned no rows: "
                                + statements.get(i));
                    }
                    resultSet = statement.getResultSet();
                }
                collect(results.get(i), resultSet, context);
            }
            return null;
        });
    }

    private static <T> void collect(Rows<T> rows, ResultSet resultSet, StatementContext context) throws SQLException {
        RowMapper<T> mapper = context.findMapperFor(rows.type)
                .orElseThrow(() -> new IllegalStateException("no row mapper for " + rows.type))
                .specialize(resultSet, context);
        while (resultSet.next()) {
            rows.rows.add(mapper.map(resultSet, context));
        }
    }
}
