Console.WriteLine("Hello from Beta in a container");
