using Microsoft.Data.Sqlite;

// Touches every layer: the runtime, a package with native code (SQLite), another package, a project reference.
using var connection = new SqliteConnection("Data Source=:memory:");
connection.Open();
using var command = connection.CreateCommand();
command.CommandText = "select sqlite_version()";
var sqlite = command.ExecuteScalar();
var json = Newtonsoft.Json.JsonConvert.SerializeObject(new { greeting = Lib.Greeting.Text, sqlite = sqlite?.ToString() is { Length: > 0 } ? "ok" : "missing" });
Console.WriteLine($"layered-app: {json}");
var marker = Path.Combine(AppContext.BaseDirectory, "written-by-app.txt");
try
{
    File.WriteAllText(marker, "x");
    Console.WriteLine("app folder: writable");
}
catch (UnauthorizedAccessException)
{
    Console.WriteLine("app folder: read-only");
}
