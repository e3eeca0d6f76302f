using System.Globalization;

// Needs libicu72: without ICU (and without invariant mode) the runtime does not start at all.
var german = new CultureInfo("de-DE");
Console.WriteLine($"date: {new DateTime(2024, 3, 5).ToString("D", german)}");
// Needs tzdata: /usr/share/zoneinfo.
var berlin = TimeZoneInfo.FindSystemTimeZoneById("Europe/Berlin");
Console.WriteLine($"zone: {berlin.Id} {berlin.GetUtcOffset(new DateTime(2024, 7, 1, 12, 0, 0, DateTimeKind.Utc))}");
