package dev.tanrenai.models.registry;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Resolves a model reference inside one read transaction: exact id, alias, base model name, then a
 * unique SHA-256 prefix of at least 8 hex digits; errors list the candidates.
 */
final class RefResolver {
    private static final Pattern SHA_PREFIX = Pattern.compile("[0-9a-f]{8,64}");

    private RefResolver() {}

    static ModelRef resolve(Connection c, String reference) throws SQLException {
        Optional<ModelRef> byId = RegistryRows.byId(c, reference);
        if (byId.isPresent()) {
            return byId.get();
        }
        Optional<String> aliasTarget = RegistryRows.aliasTarget(c, reference);
        List<BaseModel> named = RegistryRows.bases(c, "WHERE name = ?", reference);
        if (aliasTarget.isPresent()
                && !named.isEmpty()
                && !aliasTarget.get().equals(named.get(0).id())) {
            throw new RegistryException("'" + reference + "' is ambiguous: alias " + reference + " -> "
                    + aliasTarget.get() + ", and base model name " + reference + " -> "
                    + named.get(0).id()
                    + "; use an id");
        }
        if (aliasTarget.isPresent()) {
            return RegistryRows.byId(c, aliasTarget.get())
                    .orElseThrow(() -> new RegistryException(
                            "alias '" + reference + "' points to unknown id " + aliasTarget.get()));
        }
        if (!named.isEmpty()) {
            return new ModelRef(named.get(0), null);
        }
        String lower = reference.toLowerCase(Locale.ROOT);
        if (SHA_PREFIX.matcher(lower).matches()) {
            List<String> matches = new ArrayList<>();
            for (BaseModel b : RegistryRows.bases(c, "WHERE sha256 LIKE ?", lower + "%")) {
                matches.add(b.id());
            }
            for (Adapter a : RegistryRows.adapters(c, "WHERE sha256 LIKE ?", lower + "%")) {
                matches.add(a.id());
            }
            if (matches.size() == 1) {
                return RegistryRows.byId(c, matches.get(0)).orElseThrow();
            }
            if (matches.size() > 1) {
                throw new RegistryException("sha256 prefix '" + reference + "' is ambiguous: it matches "
                        + String.join(", ", matches) + "; give more digits");
            }
        }
        throw new RegistryException("unknown model '" + reference + "'; known: " + candidates(c));
    }

    private static String candidates(Connection c) throws SQLException {
        List<String> known = new ArrayList<>();
        for (BaseModel b : RegistryRows.bases(c, "")) {
            known.add(b.id() + " (" + b.name() + ")");
        }
        for (Adapter a : RegistryRows.adapters(c, "")) {
            known.add(a.id() + " (adapter of " + a.baseModelId() + ")");
        }
        try (PreparedStatement p = c.prepareStatement("SELECT alias, target_id FROM registry_aliases ORDER BY alias");
                ResultSet r = p.executeQuery()) {
            while (r.next()) {
                known.add(r.getString(1) + " -> " + r.getString(2));
            }
        }
        return known.isEmpty() ? "nothing registered yet" : String.join(", ", known);
    }
}
