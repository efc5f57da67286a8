import { ApiProperty } from '@nestjs/swagger';
import { IsNotEmpty, IsString, MaxLength } from 'class-validator';

export class JoinCaseTeamDto {
  @ApiProperty({ example: 'prof-joyce', description: 'The professional’s user id (`sub`)' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  professionalId!: string;

  @ApiProperty({ example: 'Joyce Mulder' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  name!: string;

  @ApiProperty({ example: 'JGZ Almere' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  organisation!: string;

  @ApiProperty({ example: 'jeugdverpleegkundige' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  discipline!: string;
}
