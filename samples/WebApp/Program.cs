var app = WebApplication.CreateBuilder(args).Build();

app.MapGet("/", () => $"Hello from WebApp in a container: user={Environment.UserName} cwd={Environment.CurrentDirectory}\n");

app.Run();
