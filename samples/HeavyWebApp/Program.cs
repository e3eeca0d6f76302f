using System.Globalization;
using CsvHelper;
using Dapper;
using FluentValidation;
using Humanizer;
using Markdig;
using Microsoft.Data.Sqlite;
using NodaTime;
using Npgsql;
using Polly;
using Polly.Retry;
using Serilog;
using ProtoTimestamp = Google.Protobuf.WellKnownTypes.Timestamp;

// A web app that uses each of its packages a little, so that none of them is dead weight the build could drop.
var builder = WebApplication.CreateBuilder(args);
builder.Services.AddSerilog(config => config.ReadFrom.Configuration(builder.Configuration).WriteTo.Console());
builder.Services.AddEndpointsApiExplorer();
builder.Services.AddSwaggerGen();
builder.Services.AddSingleton<IValidator<Note>, NoteValidator>();
builder.Services.AddSingleton(new ResiliencePipelineBuilder()
    .AddRetry(new RetryStrategyOptions { MaxRetryAttempts = 2, Delay = TimeSpan.FromMilliseconds(10) })
    .AddTimeout(TimeSpan.FromSeconds(5))
    .Build());

var app = builder.Build();
app.UseSwagger();
app.UseSwaggerUI();

app.MapGet("/", () => $"Hello from HeavyWebApp in a container: user={Environment.UserName} cwd={Environment.CurrentDirectory}\n");

// SQLite (native e_sqlite3) in memory, queried with Dapper, returned as Newtonsoft.Json.
app.MapGet("/notes", async (ResiliencePipeline pipeline) =>
{
    var notes = await pipeline.ExecuteAsync(async token =>
    {
        await using var db = new SqliteConnection("Data Source=:memory:");
        await db.OpenAsync(token);
        await db.ExecuteAsync("CREATE TABLE notes (id INTEGER PRIMARY KEY, title TEXT NOT NULL, body TEXT NOT NULL)");
        await db.ExecuteAsync("INSERT INTO notes (title, body) VALUES (@Title, @Body)", Samples.Notes);
        return (await db.QueryAsync<Note>("SELECT id AS Id, title AS Title, body AS Body FROM notes ORDER BY id")).ToList();
    });
    return Results.Text(Newtonsoft.Json.JsonConvert.SerializeObject(notes, Newtonsoft.Json.Formatting.Indented), "application/json");
});

app.MapGet("/notes.csv", () =>
{
    using var writer = new StringWriter(CultureInfo.InvariantCulture);
    using (var csv = new CsvWriter(writer, CultureInfo.InvariantCulture)) csv.WriteRecords(Samples.Notes);
    return Results.Text(writer.ToString(), "text/csv");
});

app.MapGet("/notes.yaml", () => Results.Text(new YamlDotNet.Serialization.SerializerBuilder().Build().Serialize(Samples.Notes), "application/yaml"));

app.MapGet("/notes/{id:int}.html", (int id) =>
    Samples.Notes.FirstOrDefault(n => n.Id == id) is { } note
        ? Results.Content(Markdown.ToHtml($"# {note.Title}\n\n{note.Body}"), "text/html")
        : Results.NotFound());

app.MapPost("/notes", (Note note, IValidator<Note> validator) =>
{
    var result = validator.Validate(note);
    return result.IsValid ? Results.Ok(note) : Results.ValidationProblem(result.ToDictionary());
});

app.MapGet("/time", () =>
{
    var now = SystemClock.Instance.GetCurrentInstant();
    var uptime = DateTime.UtcNow - System.Diagnostics.Process.GetCurrentProcess().StartTime.ToUniversalTime();
    return new
    {
        instant = now.ToString(),
        protobuf = Convert.ToBase64String(Google.Protobuf.MessageExtensions.ToByteArray(ProtoTimestamp.FromDateTime(DateTime.UtcNow))),
        uptime = uptime.Humanize(precision: 2),
        postgres = new NpgsqlConnectionStringBuilder { Host = "db", Database = "notes", Username = "app" }.ToString(),
    };
});

app.Run();

public sealed record Note(long Id, string Title, string Body);

public sealed class NoteValidator : AbstractValidator<Note>
{
    public NoteValidator()
    {
        RuleFor(n => n.Title).NotEmpty().MaximumLength(100);
        RuleFor(n => n.Body).NotEmpty();
    }
}

static class Samples
{
    public static readonly Note[] Notes =
    [
        new(1, "Layers", "Split the app by how often its files change."),
        new(2, "Caches", "Skip the work a cache can answer."),
    ];
}
