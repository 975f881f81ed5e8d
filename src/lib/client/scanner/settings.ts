/** Default maximum list ages (seconds), as the issue and code-format §8 set them; adjustable per device. */
export const STATUS_LIST_MAX_AGE_SECONDS_DEFAULT = 24 * 3600;
export const TRUST_LIST_MAX_AGE_SECONDS_DEFAULT = 7 * 24 * 3600;
