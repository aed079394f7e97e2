import { App } from 'aws-cdk-lib';
import { buildApp } from '../stacks/build-app';

buildApp(new App());
