package dev.tanrenai.models.registry;

/** An optimistic alias move found the alias pointing somewhere other than expected. */
public class AliasConflictException extends RegistryException {
    public AliasConflictException(String alias, String expectedId, String actualId) {
        super("alias '" + alias + "' points to " + (actualId == null ? "nothing" : actualId) + ", not the expected "
                + (expectedId == null ? "nothing" : expectedId) + ": someone else moved it; re-read and retry");
    }
}
