import { Controller, Delete, Get, HttpCode, Param, Patch, Post } from '@nestjs/common';
import { ApiConflictResponse, ApiCreatedResponse, ApiNotFoundResponse, ApiOkResponse, ApiTags } from '../../../common/openapi';
import { PageOf } from '../../../common/pagination/page.view';
import { AdminApi } from '../admin-api.decorator';
import { CurrentActor } from '../current-actor.decorator';
import { Page, PageQueryDto } from '../../../common/pagination/page-query.dto';
import { UuidParamPipe } from '../../../common/validation/uuid-param.pipe';
import { DirectoriesService, toDirectoryView } from './directories.service';
import { CreateDirectoryDto, UpdateDirectoryDto } from './directory.dto';
import { CreateGroupDto, GroupQueryDto } from './group.dto';
import { UpdateUserDto, UserQueryDto } from './user.dto';
import { GroupsService } from './groups.service';
import { UsersService } from './users.service';
import { AdminBody, AdminQuery } from '../admin-params';
import { DirectoryView, GroupView, ListedGroupView, UserView, UserWithMembershipsView } from './directory.view';

@ApiTags('directories')
@AdminApi()
@ApiNotFoundResponse({ description: 'NOT_FOUND: unknown directory, user or group' })
@Controller('api/user-sync/directories')
export class DirectoriesController {
  constructor(
    private readonly directories: DirectoriesService,
    private readonly users: UsersService,
    private readonly groups: GroupsService,
  ) {}

  @Get()
  @ApiOkResponse({ type: PageOf(DirectoryView) })
  list(@AdminQuery() query: PageQueryDto): Promise<Page<DirectoryView>> {
    return this.directories.list(query);
  }

  @Post()
  @ApiCreatedResponse({ type: DirectoryView })
  @ApiConflictResponse({ description: 'CONFLICT: the name is taken' })
  create(@AdminBody() dto: CreateDirectoryDto, @CurrentActor() actor: string): Promise<DirectoryView> {
    return this.directories.create(dto, actor);
  }

  @Get(':id')
  @ApiOkResponse({ type: DirectoryView })
  async get(@Param('id', UuidParamPipe) id: string): Promise<DirectoryView> {
    return toDirectoryView(await this.directories.get(id));
  }

  @Patch(':id')
  @ApiOkResponse({ type: DirectoryView })
  @ApiConflictResponse({ description: 'CONFLICT: the name is taken' })
  update(@Param('id', UuidParamPipe) id: string, @AdminBody() dto: UpdateDirectoryDto, @CurrentActor() actor: string): Promise<DirectoryView> {
    return this.directories.update(id, dto, actor);
  }

  @Delete(':id')
  @HttpCode(204)
  @ApiConflictResponse({ description: 'CONFLICT: a connector uses the directory' })
  remove(@Param('id', UuidParamPipe) id: string, @CurrentActor() actor: string) {
    return this.directories.delete(id, actor);
  }

  @Get(':id/users')
  @ApiOkResponse({ type: PageOf(UserView) })
  listUsers(@Param('id', UuidParamPipe) id: string, @AdminQuery() query: UserQueryDto): Promise<Page<UserView>> {
    return this.users.list(id, query);
  }

  @Get(':id/users/:username')
  @ApiOkResponse({ type: UserWithMembershipsView })
  getUser(@Param('id', UuidParamPipe) id: string, @Param('username') username: string): Promise<UserWithMembershipsView> {
    return this.users.get(id, username);
  }

  @Patch(':id/users/:username')
  @ApiOkResponse({ type: UserView })
  updateUser(
    @Param('id', UuidParamPipe) id: string,
    @Param('username') username: string,
    @AdminBody() dto: UpdateUserDto,
    @CurrentActor() actor: string,
  ): Promise<UserView> {
    return this.users.update(id, username, dto, actor);
  }

  @Delete(':id/users/:username')
  @HttpCode(204)
  removeUser(@Param('id', UuidParamPipe) id: string, @Param('username') username: string, @CurrentActor() actor: string) {
    return this.users.delete(id, username, actor);
  }

  @Get(':id/groups')
  @ApiOkResponse({ type: PageOf(ListedGroupView) })
  listGroups(@Param('id', UuidParamPipe) id: string, @AdminQuery() query: GroupQueryDto): Promise<Page<ListedGroupView>> {
    return this.groups.list(id, query);
  }

  @Post(':id/groups')
  @ApiCreatedResponse({ type: GroupView })
  @ApiConflictResponse({ description: 'CONFLICT: the group exists' })
  createGroup(@Param('id', UuidParamPipe) id: string, @AdminBody() dto: CreateGroupDto, @CurrentActor() actor: string): Promise<GroupView> {
    return this.groups.create(id, dto.name, actor);
  }

  @Delete(':id/groups/:name')
  @HttpCode(204)
  removeGroup(@Param('id', UuidParamPipe) id: string, @Param('name') name: string, @CurrentActor() actor: string) {
    return this.groups.delete(id, name, actor);
  }
}
