package dev.kiln.serving;

/** Where a served model came from. */
public enum ModelOrigin {
    /** Saved by a completed training. */
    TRAINED,
    /** Found in the local models directory ({@code runtime.local_models_dir}). */
    LOCAL,
    /** Written into the local models directory by a deploy request. */
    DEPLOYED
}
