import { Annotations, Stack, type StackProps } from 'aws-cdk-lib';
import type * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { NagSuppressions } from 'cdk-nag';
import type { Construct } from 'constructs';
import { parseSeller, SELLER_ENV } from '../../functions/adapters/documents/seller';
import { DOCUMENT_STORE_ENV } from '../../functions/adapters/documents/document-store-factory';
import { ENV } from '../../functions/adapters/dynamo/table-schema';
import { WORKFLOWS, type WorkflowSpec } from '../../functions/workflows/registry';
import { grantBucketAccess, grantPutEvents, grantTableAccess } from '../constructs/data-access';
import { addWorkflows, type Workflow } from '../constructs/workflow';
import type { DataStack } from './data-stack';

export interface WorkflowStackProps extends StackProps {
  data: DataStack;
  enterpriseTimeZone: string;
  /**
   * The enterprise as seller/shipper on documents, as JSON (see functions/adapters/documents/seller.ts).
   * Validated at synth; without it the documents print the demo company and synth warns.
   */
  seller?: string;
  /** @default WORKFLOWS, the registry */
  workflows?: readonly WorkflowSpec[];
}

/**
 * The stateless workflow stack between Data and Api: every registry entry as a Step Functions
 * state machine with its task functions. Each task may use the main table and the bus (every
 * task is a use case that writes its audit record and publishes its events); only tasks marked
 * `documents: 'write'` in the registry may put objects into the documents bucket.
 */
export class WorkflowStack extends Stack {
  readonly workflows: Readonly<Record<string, Workflow>>;

  constructor(scope: Construct, id: string, props: WorkflowStackProps) {
    super(scope, id, props);
    const { data } = props;

    if (props.seller !== undefined) parseSeller(props.seller);
    else {
      Annotations.of(this).addWarningV2(
        'dms:demoSeller',
        `No seller configured (context dms:seller or ${SELLER_ENV}): invoices and shipping notes will name the demo company.`,
      );
    }

    const environment: Record<string, string> = {
      // Same names as the API functions learn: shared modules read them at import.
      [ENV.tableName]: data.mainTable.tableName,
      [ENV.idempotencyTableName]: data.idempotencyTable.tableName,
      [ENV.eventBusName]: data.eventBus.eventBusName,
      [ENV.enterpriseTimeZone]: props.enterpriseTimeZone,
      [DOCUMENT_STORE_ENV.bucket]: data.documentsBucket.bucketName,
      ...(props.seller !== undefined ? { [SELLER_ENV]: props.seller } : {}),
    };

    this.workflows = addWorkflows(this, { workflows: props.workflows ?? WORKFLOWS, environment });

    for (const workflow of Object.values(this.workflows)) {
      for (const [key, fn] of Object.entries(workflow.functions)) {
        grantTableAccess(fn.role, data.mainTableAccess, 'readwrite');
        grantPutEvents(fn.role, data.eventBus);
        if (workflow.spec.tasks[key]?.deployment?.documents === 'write') {
          grantBucketAccess(fn.role, data.documentsAccess, 'write');
          NagSuppressions.addResourceSuppressions(
            fn.role.node.findChild('DefaultPolicy'),
            [
              {
                id: 'AwsSolutions-IAM5',
                reason:
                  'Documents are put under keys computed from their number (invoices/<year>/<number>.pdf…); s3:PutObject on the objects of the documents bucket only, no list, read or delete.',
                appliesTo: [{ regex: '/^Resource::.*DocumentsBucket.*\\/\\*$/g' }],
              },
            ],
          );
        }
      }
    }
  }

  /** The state machines by registry name, for the API stack. */
  get stateMachines(): Record<string, sfn.IStateMachine> {
    return Object.fromEntries(Object.entries(this.workflows).map(([name, workflow]) => [name, workflow.stateMachine]));
  }
}
