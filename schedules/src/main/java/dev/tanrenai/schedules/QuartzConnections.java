package dev.tanrenai.schedules;

import java.sql.Connection;
import java.sql.SQLException;
import org.quartz.utils.ConnectionProvider;

/**
 * Quartz's connections to the job store: a new JDBC connection per unit of work (Quartz closes each),
 * so no pool library is needed. Quartz sets {@link #setUrl} from {@code org.quartz.dataSource.NAME.url}.
 */
public final class QuartzConnections implements ConnectionProvider {

    private volatile String url;

    public void setUrl(String url) {
        this.url = url;
    }

    @Override
    public Connection getConnection() throws SQLException {
        if (url == null) {
            throw new SQLException("the Quartz data source has no url (org.quartz.dataSource.NAME.url)");
        }
        return Connections.open(url);
    }

    @Override
    public void shutdown() {}

    @Override
    public void initialize() {}
}
