-- Create "server_processes" table
CREATE TABLE `server_processes` (`id` text NOT NULL, `host` text NOT NULL DEFAULT (''), `started_at` datetime NOT NULL, `seen_at` datetime NOT NULL, PRIMARY KEY (`id`));
-- Create index "serverprocess_seen_at" to table: "server_processes"
CREATE INDEX `serverprocess_seen_at` ON `server_processes` (`seen_at`);
