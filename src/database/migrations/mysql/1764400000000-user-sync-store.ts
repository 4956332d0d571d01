import { MigrationInterface, QueryRunner } from 'typeorm';

export class UserSyncStoreMysql1764400000000 implements MigrationInterface {
    name = 'UserSyncStoreMysql1764400000000'

    public async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`CREATE TABLE \`audit_events\` (\`id\` int NOT NULL AUTO_INCREMENT, \`created_at\` datetime(3) NOT NULL, \`type\` varchar(32) NOT NULL, \`actor\` varchar(255) NOT NULL, \`connector_id\` varchar(36) NULL, \`directory_id\` varchar(36) NULL, \`username\` varchar(255) NULL, \`details\` text NOT NULL, INDEX \`IDX_audit_events_type\` (\`type\`), INDEX \`IDX_audit_events_connector\` (\`connector_id\`), INDEX \`IDX_audit_events_username\` (\`username\`), PRIMARY KEY (\`id\`)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci`);
        await queryRunner.query(`CREATE TABLE \`sync_state\` (\`id\` int NOT NULL, \`generation\` int NOT NULL DEFAULT 0, PRIMARY KEY (\`id\`)) ENGINE=InnoDB`);
        await queryRunner.query(`INSERT INTO \`sync_state\` (\`id\`, \`generation\`) VALUES (1, 0)`);
        await queryRunner.query(`CREATE TABLE \`connectors\` (\`id\` varchar(36) NOT NULL, \`name\` varchar(255) NOT NULL, \`name_key\` varchar(255) NOT NULL, \`type\` varchar(32) NOT NULL DEFAULT 'jit', \`enabled\` tinyint NOT NULL DEFAULT 1, \`directory_id\` varchar(36) NOT NULL, \`primary_key\` varchar(255) NOT NULL DEFAULT 'sub', \`mappings\` text NOT NULL, \`group_options\` text NOT NULL, \`user_options\` text NOT NULL, \`version\` int NOT NULL, \`created_at\` datetime(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6), \`updated_at\` datetime(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6) ON UPDATE CURRENT_TIMESTAMP(6), UNIQUE INDEX \`UQ_connectors_name_key\` (\`name_key\`), INDEX \`IDX_connectors_directory\` (\`directory_id\`), PRIMARY KEY (\`id\`)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci`);
        await queryRunner.query(`CREATE TABLE \`directories\` (\`id\` varchar(36) NOT NULL, \`name\` varchar(255) NOT NULL, \`name_key\` varchar(255) NOT NULL, \`description\` varchar(1024) NOT NULL DEFAULT '', \`active\` tinyint NOT NULL DEFAULT 1, \`position\` int NOT NULL DEFAULT '0', \`created_at\` datetime(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6), \`updated_at\` datetime(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6) ON UPDATE CURRENT_TIMESTAMP(6), UNIQUE INDEX \`UQ_directories_name_key\` (\`name_key\`), INDEX \`IDX_directories_position\` (\`position\`), PRIMARY KEY (\`id\`)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci`);
        await queryRunner.query(`CREATE TABLE \`groups\` (\`id\` varchar(36) NOT NULL, \`directory_id\` varchar(36) NOT NULL, \`name\` varchar(255) NOT NULL, \`name_key\` varchar(255) NOT NULL, \`created_at\` datetime(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6), UNIQUE INDEX \`UQ_groups_directory_name\` (\`directory_id\`, \`name_key\`), PRIMARY KEY (\`id\`)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci`);
        await queryRunner.query(`CREATE TABLE \`memberships\` (\`user_id\` varchar(36) NOT NULL, \`group_id\` varchar(36) NOT NULL, \`origin\` varchar(36) NOT NULL, \`created_at\` datetime(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6), INDEX \`IDX_memberships_group\` (\`group_id\`), PRIMARY KEY (\`user_id\`, \`group_id\`, \`origin\`)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci`);
        await queryRunner.query(`CREATE TABLE \`users\` (\`id\` varchar(36) NOT NULL, \`directory_id\` varchar(36) NOT NULL, \`username\` varchar(255) NOT NULL, \`username_key\` varchar(255) NOT NULL, \`display_name\` varchar(255) NOT NULL DEFAULT '', \`email\` varchar(320) NOT NULL DEFAULT '', \`active\` tinyint NOT NULL DEFAULT 1, \`attributes\` text NOT NULL, \`external_id\` varchar(255) NULL, \`sync_fingerprint\` varchar(64) NULL, \`created_at\` datetime(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6), \`updated_at\` datetime(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6) ON UPDATE CURRENT_TIMESTAMP(6), \`last_login_at\` datetime NULL, UNIQUE INDEX \`UQ_users_directory_external_id\` (\`directory_id\`, \`external_id\`), UNIQUE INDEX \`UQ_users_directory_username\` (\`directory_id\`, \`username_key\`), PRIMARY KEY (\`id\`)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci`);
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`DROP INDEX \`IDX_audit_events_username\` ON \`audit_events\``);
        await queryRunner.query(`DROP INDEX \`IDX_audit_events_connector\` ON \`audit_events\``);
        await queryRunner.query(`DROP INDEX \`IDX_audit_events_type\` ON \`audit_events\``);
        await queryRunner.query(`DROP TABLE \`audit_events\``);
        await queryRunner.query(`DROP INDEX \`UQ_users_directory_username\` ON \`users\``);
        await queryRunner.query(`DROP INDEX \`UQ_users_directory_external_id\` ON \`users\``);
        await queryRunner.query(`DROP TABLE \`users\``);
        await queryRunner.query(`DROP INDEX \`IDX_memberships_group\` ON \`memberships\``);
        await queryRunner.query(`DROP TABLE \`memberships\``);
        await queryRunner.query(`DROP INDEX \`UQ_groups_directory_name\` ON \`groups\``);
        await queryRunner.query(`DROP TABLE \`groups\``);
        await queryRunner.query(`DROP INDEX \`IDX_directories_position\` ON \`directories\``);
        await queryRunner.query(`DROP INDEX \`UQ_directories_name_key\` ON \`directories\``);
        await queryRunner.query(`DROP TABLE \`directories\``);
        await queryRunner.query(`DROP INDEX \`IDX_connectors_directory\` ON \`connectors\``);
        await queryRunner.query(`DROP INDEX \`UQ_connectors_name_key\` ON \`connectors\``);
        await queryRunner.query(`DROP TABLE \`connectors\``);
        await queryRunner.query(`DROP TABLE \`sync_state\``);
    }

}
