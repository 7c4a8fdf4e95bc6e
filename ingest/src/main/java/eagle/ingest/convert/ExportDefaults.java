package eagle.ingest.convert;

/**
 * What a converter fills in where an export says nothing.
 *
 * @param idPrefix prepended to every image id (keeps ids of different exports apart)
 * @param annotator used when the export names no annotator
 * @param time ISO-8601 instant used when the export gives no time
 */
public record ExportDefaults(String idPrefix, String annotator, String time) {}
